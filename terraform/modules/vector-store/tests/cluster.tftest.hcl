# Offline plan/apply of the module against a mocked AWS provider (no account, no network): the
# topology a qdrant_node_count yields. Run: terraform init -backend=false && terraform test
# (tests/terraform/module-tests.test.ts runs it when terraform and a provider mirror are present).
mock_provider "aws" {
  mock_data "aws_subnet" {
    defaults = { availability_zone = "us-east-1a" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_ami" {
    defaults = { id = "ami-12345678" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_resource "aws_lb" {
    defaults = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/q/1", dns_name = "q.elb.amazonaws.com" }
  }
  mock_resource "aws_lb_target_group" {
    defaults = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/q/1" }
  }
  mock_resource "aws_ebs_volume" {
    defaults = { arn = "arn:aws:ec2:us-east-1:123456789012:volume/vol-1", id = "vol-1" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/q" }
  }
  mock_resource "aws_ssm_parameter" {
    defaults = { arn = "arn:aws:ssm:us-east-1:123456789012:parameter/q" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::b", bucket = "b" }
  }
}

variables {
  environment            = "prod"
  vpc_id                 = "vpc-1"
  private_subnet_ids     = ["subnet-a", "subnet-b", "subnet-c"]
  node_security_group_id = "sg-1"
  qdrant_api_key         = "0123456789012345678901234567890123456789"
  qdrant_node_count      = 3
  data_kms_key_arn       = "arn:aws:kms:us-east-1:123456789012:key/abcd-ef"
}

run "prod_cluster" {
  command = apply

  assert {
    condition     = length(aws_instance.qdrant) == 3 && length(aws_ebs_volume.qdrant_data) == 3 && length(aws_volume_attachment.qdrant_data) == 3
    error_message = "prod runs three Qdrant nodes, each with its own data volume"
  }

  assert {
    condition     = [for i in aws_instance.qdrant : i.subnet_id] == ["subnet-a", "subnet-b", "subnet-c"]
    error_message = "one node per private subnet, round-robin"
  }

  assert {
    condition     = length(aws_lb_target_group_attachment.qdrant) == 6 && aws_lb.qdrant[0].load_balancer_type == "network" && aws_lb.qdrant[0].internal
    error_message = "an internal NLB over HTTP and gRPC of every node"
  }

  assert {
    condition     = length(aws_route53_record.qdrant_peer) == 3 && aws_route53_record.qdrant_peer[1].name == "node-1.qdrant.memspine-prod.internal"
    error_message = "a stable peer name per node"
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.qdrant_peers[0].from_port == 6335 && length(aws_vpc_security_group_ingress_rule.store_from_nodes) == 0
    error_message = "6335 between the peers; the API nodes reach the cluster through the balancer only"
  }

  assert {
    condition     = strcontains(aws_instance.qdrant[2].user_data, "NODE_INDEX='2'") && strcontains(aws_instance.qdrant[2].user_data, "PEER_URIS='http://node-0.qdrant.memspine-prod.internal:6335 http://node-1.qdrant.memspine-prod.internal:6335 http://node-2.qdrant.memspine-prod.internal:6335'")
    error_message = "each node's boot script knows its index and every peer"
  }

  assert {
    condition     = alltrue([for v in aws_ebs_volume.qdrant_data : v.kms_key_id == var.data_kms_key_arn])
    error_message = "prod data volumes use the data key"
  }

  assert {
    condition     = length(aws_s3_bucket_lifecycle_configuration.qdrant_snapshots[0].rule) == 2
    error_message = "prod keeps daily and monthly snapshots"
  }
}

run "staging_single" {
  command = apply
  variables {
    environment       = "staging"
    qdrant_node_count = 1
    data_kms_key_arn  = ""
  }

  assert {
    condition     = length(aws_instance.qdrant) == 1 && length(aws_lb.qdrant) == 0 && length(aws_route53_zone.qdrant_peers) == 0 && length(aws_vpc_security_group_ingress_rule.store_from_nodes) == 2
    error_message = "staging runs one node that the API nodes reach directly"
  }

  assert {
    condition     = strcontains(aws_instance.qdrant[0].user_data, "PEER_URIS=''") && length(aws_s3_bucket_lifecycle_configuration.qdrant_snapshots[0].rule) == 1
    error_message = "a single node is not clustered and keeps daily snapshots only"
  }
}
