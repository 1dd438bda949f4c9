# Plans the vector store module with each environment's settings against the real AWS provider,
# without credentials and without calling AWS: the provider never validates or looks up anything,
# and every data source that would call an AWS API is overridden. Run from the module directory:
#   terraform init -backend=false && terraform test
# Each run's contract variables are the values of terraform/environments/<env>/terraform.tfvars
# (tests/terraform/tftest.test.ts checks that they agree); the wiring inputs (VPC, subnets, the
# nodes' security group, the API key the secrets module generates) are stand-ins.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline-test"
  secret_key                  = "offline-test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

override_data {
  target = data.aws_ami.ubuntu
  values = { id = "ami-0123456789abcdef0", architecture = "x86_64" }
}

override_data {
  target = data.aws_subnet.qdrant
  values = { availability_zone = "us-east-1a" }
}

# Ids and generated names are known only after apply; fixed at plan time so that the boot
# scripts that carry them render and can be checked.
override_resource {
  target          = aws_ebs_volume.qdrant_data
  override_during = plan
  values          = { id = "vol-0123456789abcdef0", arn = "arn:aws:ec2:us-east-1:123456789012:volume/vol-0123456789abcdef0" }
}

override_resource {
  target          = aws_s3_bucket.qdrant_snapshots
  override_during = plan
  values          = { id = "memspine-qdrant-snapshots-0123", bucket = "memspine-qdrant-snapshots-0123", arn = "arn:aws:s3:::memspine-qdrant-snapshots-0123" }
}

variables {
  vpc_id                 = "vpc-0123456789abcdef0"
  private_subnet_ids     = ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"]
  node_security_group_id = "sg-0123456789abcdef0"
  qdrant_api_key         = "offline-test-api-key-0123456789abcdef0123456789"
  qdrant_node_count      = 1 # dev's and staging's default (components/environment-defaults.json); prod sets 3
}

run "dev" {
  command = plan

  variables {
    environment             = "dev"
    vector_store_engine     = "pgvector"
    db_instance_class       = "db.t4g.small"
    db_allocated_storage_gb = 20
    db_backup_window        = "12:00-12:30"
    db_maintenance_window   = "wed:12:30-wed:13:00"
    tags                    = { Environment = "dev", Team = "platform-engineering", CostCenter = "engineering" }
  }

  assert {
    condition     = length(aws_db_instance.pgvector) == 1 && length(aws_instance.qdrant) == 0 && length(aws_ssm_parameter.qdrant_api_key) == 0
    error_message = "dev keeps its vectors in RDS PostgreSQL with pgvector, no Qdrant node."
  }

  assert {
    condition     = aws_db_instance.pgvector[0].storage_encrypted && !aws_db_instance.pgvector[0].publicly_accessible && aws_db_instance.pgvector[0].manage_master_user_password
    error_message = "The database is encrypted, private, and its password is managed by RDS."
  }

  assert {
    condition     = aws_db_instance.pgvector[0].instance_class == "db.t4g.small" && aws_db_instance.pgvector[0].allocated_storage == 20 && aws_db_instance.pgvector[0].backup_retention_period == 1
    error_message = "dev's database is a db.t4g.small with 20 GB, backups kept one day."
  }

  assert {
    condition     = aws_db_instance.pgvector[0].backup_window == "12:00-12:30" && aws_db_instance.pgvector[0].maintenance_window == "wed:12:30-wed:13:00"
    error_message = "dev's database backs up and takes maintenance while the off-hours schedule keeps it running."
  }

  assert {
    condition     = !aws_db_instance.pgvector[0].deletion_protection && aws_db_instance.pgvector[0].skip_final_snapshot && !aws_db_instance.pgvector[0].multi_az
    error_message = "Outside prod the database can be torn down and runs in one zone."
  }

  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.store_from_nodes) == ["5432"] && aws_vpc_security_group_ingress_rule.store_from_nodes["5432"].referenced_security_group_id == "sg-0123456789abcdef0"
    error_message = "The database admits 5432 from the API nodes' security group only."
  }
}

run "staging" {
  command = plan

  variables {
    environment           = "staging"
    vector_store_engine   = "qdrant"
    qdrant_instance_type  = "r6g.large"
    qdrant_volume_size_gb = 50
    tags                  = { Environment = "staging", Team = "platform-engineering", CostCenter = "engineering" }
  }

  assert {
    condition     = length(aws_instance.qdrant) == 1 && length(aws_db_instance.pgvector) == 0
    error_message = "staging runs Qdrant on its own instance."
  }

  assert {
    condition     = aws_instance.qdrant[0].metadata_options[0].http_tokens == "required" && !aws_instance.qdrant[0].associate_public_ip_address && aws_instance.qdrant[0].root_block_device[0].encrypted
    error_message = "The Qdrant node requires IMDSv2, has no public IP and an encrypted root volume."
  }

  assert {
    condition     = aws_ebs_volume.qdrant_data[0].encrypted && aws_ebs_volume.qdrant_data[0].size == 50 && aws_ebs_volume.qdrant_data[0].type == "gp3" && aws_ebs_volume.qdrant_data[0].availability_zone == "us-east-1a"
    error_message = "Qdrant's data lives on a separate encrypted gp3 (50 GB in staging) volume in the node's zone."
  }

  assert {
    condition     = aws_ssm_parameter.qdrant_api_key[0].type == "SecureString" && nonsensitive(aws_ssm_parameter.qdrant_api_key[0].value == var.qdrant_api_key)
    error_message = "The API key handed in by the secrets module is kept as a SecureString for the node."
  }

  assert {
    condition     = toset(keys(aws_vpc_security_group_ingress_rule.store_from_nodes)) == toset(["6333", "6334"])
    error_message = "Qdrant admits its HTTP and gRPC ports from the API nodes only."
  }

  assert {
    condition     = length(aws_lb.qdrant) == 0 && length(aws_route53_zone.qdrant_peers) == 0 && length(aws_vpc_security_group_ingress_rule.qdrant_peers) == 0
    error_message = "A single node has no balancer, no peer zone and no peer port."
  }

  assert {
    condition     = local.qdrant_peer_uris == "" && !local.qdrant_clustered
    error_message = "A single node runs outside cluster mode."
  }

  assert {
    condition     = [for r in aws_s3_bucket_lifecycle_configuration.qdrant_snapshots[0].rule : [r.filter[0].prefix, r.expiration[0].days]] == [["daily/", 7]]
    error_message = "staging keeps daily Qdrant snapshots for 7 days."
  }
}

run "prod" {
  command = plan

  variables {
    environment         = "prod"
    vector_store_engine = "qdrant"
    qdrant_node_count   = 3
    private_subnet_ids  = ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0bbbbbbbbbbbbbbb3"]
    data_kms_key_arn    = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    tags                = { Environment = "prod", Team = "platform-engineering", CostCenter = "infrastructure", Compliance = "soc2" }
  }

  assert {
    condition     = alltrue([for v in aws_ebs_volume.qdrant_data : v.final_snapshot && v.kms_key_id == var.data_kms_key_arn])
    error_message = "In prod every Qdrant data volume uses the data key and takes a final snapshot before any deletion."
  }

  assert {
    condition     = length(aws_instance.qdrant) == 3 && length(aws_volume_attachment.qdrant_data) == 3 && join(",", [for i in aws_instance.qdrant : i.subnet_id]) == join(",", var.private_subnet_ids)
    error_message = "prod runs three Qdrant nodes, one per private subnet (zone), each with its own volume."
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.qdrant_peers[0].from_port == 6335 && aws_vpc_security_group_egress_rule.qdrant_peers[0].to_port == 6335 && length(aws_vpc_security_group_ingress_rule.store_from_nodes) == 0
    error_message = "Peers talk on 6335 within their own group; the API nodes reach the cluster through its balancer only."
  }

  assert {
    condition     = aws_lb.qdrant[0].load_balancer_type == "network" && aws_lb.qdrant[0].internal && aws_lb.qdrant[0].enable_cross_zone_load_balancing && aws_lb.qdrant[0].enable_deletion_protection && length(aws_lb_target_group_attachment.qdrant) == 6
    error_message = "One internal, cross-zone NLB over HTTP and gRPC of every node, protected in prod."
  }

  assert {
    condition     = aws_lb_target_group.qdrant["grpc"].health_check[0].path == "/readyz" && aws_lb_target_group.qdrant["grpc"].health_check[0].port == "6333" && aws_vpc_security_group_ingress_rule.qdrant_lb_from_nodes["http"].referenced_security_group_id == var.node_security_group_id
    error_message = "Both target groups probe /readyz on 6333; the balancer admits the API nodes only."
  }

  assert {
    condition     = [for r in aws_route53_record.qdrant_peer : r.name] == ["node-0.qdrant.memspine-prod.internal", "node-1.qdrant.memspine-prod.internal", "node-2.qdrant.memspine-prod.internal"]
    error_message = "Every node has a stable peer name in the private zone."
  }

  assert {
    condition     = local.qdrant_peer_uris == "http://node-0.qdrant.memspine-prod.internal:6335 http://node-1.qdrant.memspine-prod.internal:6335 http://node-2.qdrant.memspine-prod.internal:6335" && local.qdrant_user_data.replication_factor == "2" && local.qdrant_user_data.write_consistency_factor == "1"
    error_message = "Every node's boot script gets every peer's stable URI and the collection defaults."
  }

  assert {
    condition     = [for r in aws_s3_bucket_lifecycle_configuration.qdrant_snapshots[0].rule : [r.filter[0].prefix, r.expiration[0].days]] == [["daily/", 35], ["monthly/", 365]]
    error_message = "prod keeps daily Qdrant snapshots for 35 days and monthly ones for a year."
  }
}

run "prod_with_pgvector" {
  command = plan

  variables {
    environment         = "prod"
    vector_store_engine = "pgvector"
    tags                = { Environment = "prod", Team = "platform-engineering", CostCenter = "infrastructure", Compliance = "soc2" }
  }

  assert {
    condition     = aws_db_instance.pgvector[0].deletion_protection && !aws_db_instance.pgvector[0].skip_final_snapshot && aws_db_instance.pgvector[0].multi_az && aws_db_instance.pgvector[0].backup_retention_period == 30
    error_message = "A prod database has deletion protection, a final snapshot, Multi-AZ and 30 days of backups."
  }
}

run "qdrant_needs_an_api_key" {
  command = plan

  variables {
    environment         = "staging"
    vector_store_engine = "qdrant"
    qdrant_api_key      = ""
  }

  expect_failures = [var.qdrant_api_key]
}
