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

variables {
  vpc_id                 = "vpc-0123456789abcdef0"
  private_subnet_ids     = ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"]
  node_security_group_id = "sg-0123456789abcdef0"
  qdrant_api_key         = "offline-test-api-key-0123456789abcdef0123456789"
}

run "dev" {
  command = plan

  variables {
    environment         = "dev"
    vector_store_engine = "pgvector"
    tags                = { Environment = "dev", Team = "platform-engineering", CostCenter = "engineering" }
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
    condition     = aws_db_instance.pgvector[0].instance_class == "db.t3.large" && aws_db_instance.pgvector[0].allocated_storage == 100 && aws_db_instance.pgvector[0].backup_retention_period == 1
    error_message = "dev's database is a db.t3.large with 100 GB, backups kept one day."
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
    environment         = "staging"
    vector_store_engine = "qdrant"
    tags                = { Environment = "staging", Team = "platform-engineering", CostCenter = "engineering" }
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
    condition     = aws_ebs_volume.qdrant_data[0].encrypted && aws_ebs_volume.qdrant_data[0].size == 100 && aws_ebs_volume.qdrant_data[0].type == "gp3" && aws_ebs_volume.qdrant_data[0].availability_zone == "us-east-1a"
    error_message = "Qdrant's data lives on a separate encrypted 100 GB gp3 volume in the node's zone."
  }

  assert {
    condition     = aws_ssm_parameter.qdrant_api_key[0].type == "SecureString" && nonsensitive(aws_ssm_parameter.qdrant_api_key[0].value == var.qdrant_api_key)
    error_message = "The API key handed in by the secrets module is kept as a SecureString for the node."
  }

  assert {
    condition     = toset(keys(aws_vpc_security_group_ingress_rule.store_from_nodes)) == toset(["6333", "6334"])
    error_message = "Qdrant admits its HTTP and gRPC ports from the API nodes only."
  }
}

run "prod" {
  command = plan

  variables {
    environment         = "prod"
    vector_store_engine = "qdrant"
    tags                = { Environment = "prod", Team = "platform-engineering", CostCenter = "infrastructure", Compliance = "soc2" }
  }

  assert {
    condition     = aws_ebs_volume.qdrant_data[0].final_snapshot
    error_message = "In prod the Qdrant data volume takes a final snapshot before any deletion."
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
