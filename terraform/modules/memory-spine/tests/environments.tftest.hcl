# Plans the API cluster module with each environment's settings against the real AWS provider,
# without credentials and without calling AWS: the provider never validates or looks up anything,
# and every data source that would call an AWS API is overridden. Run from the module directory:
#   terraform init -backend=false && terraform test
# Each run's contract variables are the values of terraform/environments/<env>/terraform.tfvars
# (tests/terraform/tftest.test.ts checks that they agree); the wiring inputs (VPC, subnets,
# endpoints) are stand-ins for what the other modules pass.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline-test"
  secret_key                  = "offline-test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = data.aws_elb_service_account.current
  values = { arn = "arn:aws:iam::127311923021:root" }
}

override_data {
  target = data.aws_ami.ubuntu
  values = { id = "ami-0123456789abcdef0", architecture = "x86_64" }
}

variables {
  vpc_id             = "vpc-0123456789abcdef0"
  vpc_cidr           = "10.10.0.0/16"
  public_subnet_ids  = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]
  private_subnet_ids = ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"]
  kv_url             = "rediss://master.memspine-kv.abcdef.use1.cache.amazonaws.com:6379"
}

run "dev" {
  command = plan

  variables {
    environment           = "dev"
    vpc_cidr              = "10.10.0.0/16"
    instance_count        = 1
    instance_type         = "t3.large"
    vector_store_engine   = "pgvector"
    enable_tls            = false
    vault_address         = "https://vault.dev.chaozcode.internal"
    allowed_cidr_blocks   = ["10.0.0.0/8"]
    tags                  = { Environment = "dev", Team = "platform-engineering", CostCenter = "engineering" }
    vector_store_endpoint = "memspine-dev-pgvector.abcdefghij.us-east-1.rds.amazonaws.com:5432"
    database_secret_arn   = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0123"
    scale_down_cron       = "0 18 * * *"
    scale_up_cron         = "0 8 * * 1-5"
  }

  assert {
    condition     = aws_launch_template.this.metadata_options[0].http_tokens == "required" && aws_launch_template.this.metadata_options[0].http_put_response_hop_limit <= 2
    error_message = "IMDSv2 is required, with a hop limit of at most 2 (containers)."
  }

  assert {
    condition     = tostring(aws_launch_template.this.block_device_mappings[0].ebs[0].encrypted) == "true"
    error_message = "The nodes' root volumes are encrypted."
  }

  assert {
    condition     = tostring(aws_launch_template.this.network_interfaces[0].associate_public_ip_address) == "false"
    error_message = "Nodes never get a public IP."
  }

  assert {
    condition     = aws_launch_template.this.instance_type == "t3.large" && aws_autoscaling_group.this.desired_capacity == 1 && aws_autoscaling_group.this.min_size == 1 && aws_autoscaling_group.this.max_size == 3
    error_message = "dev runs one t3.large node, scaling between 1 and 3."
  }

  assert {
    condition     = aws_lb.this.internal && !aws_lb.this.enable_deletion_protection && aws_lb.this.drop_invalid_header_fields
    error_message = "dev's balancer is internal, deletable, and drops invalid headers."
  }

  assert {
    condition     = length(aws_lb_listener.http) == 1 && length(aws_lb_listener.https) == 0 && length(aws_s3_bucket.access_logs) == 0
    error_message = "dev without TLS serves plain HTTP on its internal balancer only, and keeps no access logs."
  }

  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.balancer_clients) == ["80-10.0.0.0/8"]
    error_message = "Without TLS the balancer admits port 80 from the allowed CIDRs only."
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.node_from_balancer.from_port == 8788 && aws_vpc_security_group_ingress_rule.node_from_balancer.to_port == 8788 && aws_vpc_security_group_ingress_rule.node_from_balancer.cidr_ipv4 == null
    error_message = "Nodes admit 8788 from the balancer's security group only, never from a CIDR."
  }

  assert {
    condition     = keys(aws_vpc_security_group_egress_rule.node_vector_store) == ["5432"] && length(aws_iam_role_policy.node_database_secret) == 1
    error_message = "With pgvector the nodes reach PostgreSQL on 5432 and may read the RDS-managed secret."
  }

  assert {
    condition     = length(aws_autoscaling_schedule.scale_down) == 1 && length(aws_autoscaling_schedule.scale_up) == 1
    error_message = "Outside prod the API group follows its off-hours schedule."
  }
}

run "staging" {
  command = plan

  variables {
    environment           = "staging"
    vpc_cidr              = "10.20.0.0/16"
    instance_count        = 2
    instance_type         = "r6i.xlarge"
    vector_store_engine   = "qdrant"
    enable_tls            = true
    vault_address         = "https://vault.staging.chaozcode.internal"
    allowed_cidr_blocks   = ["10.0.0.0/8"]
    domain_name           = "memory-spine-staging.chaozcode.com"
    tags                  = { Environment = "staging", Team = "platform-engineering", CostCenter = "engineering" }
    vector_store_endpoint = "http://10.20.0.10:6333"
  }

  assert {
    condition     = aws_launch_template.this.instance_type == "r6i.xlarge" && aws_autoscaling_group.this.desired_capacity == 2 && aws_autoscaling_group.this.min_size == 1 && aws_autoscaling_group.this.max_size == 6
    error_message = "staging runs two r6i.xlarge nodes, scaling between 1 and 6."
  }

  assert {
    condition     = aws_lb.this.internal && !aws_lb.this.enable_deletion_protection
    error_message = "staging's balancer is internal."
  }

  assert {
    condition     = length(aws_lb_listener.https) == 1 && aws_lb_listener.https[0].ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06" && aws_lb_listener.https[0].port == 443
    error_message = "With TLS the balancer serves HTTPS on 443 with the TLS 1.2+ policy."
  }

  assert {
    condition     = length(aws_lb_listener.http_redirect) == 1 && aws_lb_listener.http_redirect[0].default_action[0].redirect[0].protocol == "HTTPS" && length(aws_lb_listener.http) == 0
    error_message = "With TLS, port 80 only redirects to HTTPS."
  }

  assert {
    condition     = length(aws_acm_certificate.api) == 1 && aws_acm_certificate.api[0].domain_name == "memory-spine-staging.chaozcode.com" && aws_acm_certificate.api[0].validation_method == "DNS"
    error_message = "A DNS-validated certificate is requested for the staging domain."
  }

  assert {
    condition     = length(aws_s3_bucket.access_logs) == 1 && aws_s3_bucket_public_access_block.access_logs[0].block_public_acls && aws_s3_bucket_public_access_block.access_logs[0].restrict_public_buckets
    error_message = "staging writes access logs to a private bucket."
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.access_logs[0].rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "Access logs are encrypted with SSE-S3 (the log delivery service cannot use KMS)."
  }

  assert {
    condition     = toset(keys(aws_vpc_security_group_egress_rule.node_vector_store)) == toset(["6333", "6334"]) && length(aws_iam_role_policy.node_database_secret) == 0
    error_message = "With Qdrant the nodes reach it on 6333 and 6334 and get no database secret."
  }
}

run "prod" {
  command = plan

  variables {
    environment           = "prod"
    vpc_cidr              = "10.30.0.0/16"
    instance_count        = 4
    instance_type         = "r6i.2xlarge"
    vector_store_engine   = "qdrant"
    enable_tls            = true
    vault_address         = "https://vault.prod.chaozcode.internal"
    allowed_cidr_blocks   = ["10.0.0.0/8", "203.0.113.0/24"]
    domain_name           = "memory-spine.chaozcode.com"
    tags                  = { Environment = "prod", Team = "platform-engineering", CostCenter = "infrastructure", Compliance = "soc2" }
    vector_store_endpoint = "http://10.30.0.10:6333"
  }

  assert {
    condition     = aws_launch_template.this.instance_type == "r6i.2xlarge" && aws_autoscaling_group.this.desired_capacity == 4 && aws_autoscaling_group.this.min_size == 2 && aws_autoscaling_group.this.max_size == 12
    error_message = "prod runs four r6i.2xlarge nodes and never fewer than two."
  }

  assert {
    condition     = aws_launch_template.this.block_device_mappings[0].ebs[0].volume_size == 200
    error_message = "prod nodes get 200 GB root volumes."
  }

  assert {
    condition     = !aws_lb.this.internal && aws_lb.this.enable_deletion_protection
    error_message = "prod's balancer faces the internet and has deletion protection."
  }

  assert {
    condition     = toset(keys(aws_vpc_security_group_ingress_rule.balancer_clients)) == toset(["443-10.0.0.0/8", "443-203.0.113.0/24", "80-10.0.0.0/8", "80-203.0.113.0/24"])
    error_message = "The balancer admits 443 and 80 from each allowed CIDR, and nothing else."
  }

  assert {
    condition     = alltrue([for rule in aws_vpc_security_group_ingress_rule.balancer_clients : rule.cidr_ipv4 != "0.0.0.0/0"])
    error_message = "Nothing is open to 0.0.0.0/0."
  }

  assert {
    condition     = length(aws_autoscaling_schedule.scale_down) == 0
    error_message = "prod never scales to zero."
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.access_logs[0].rule[0].expiration[0].days == 365
    error_message = "prod keeps access logs for a year."
  }
}

run "prod_refuses_plain_http" {
  command = plan

  variables {
    environment           = "prod"
    vector_store_engine   = "qdrant"
    enable_tls            = false
    vault_address         = "https://vault.prod.chaozcode.internal"
    vector_store_endpoint = "http://10.30.0.10:6333"
  }

  expect_failures = [var.enable_tls]
}
