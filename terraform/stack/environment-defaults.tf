# Keys whose default depends on the environment (a new prod stack gets three Qdrant nodes, a
# replicated r7g cache and stores that never stop without setting anything). Their variables
# default to null; an explicit value wins. The defaults are read from the one data file the Pulumi
# program reads too (components/environment-defaults.json), never copied.

locals {
  environment_defaults = jsondecode(file("${path.module}/../../components/environment-defaults.json"))

  kv_node_type      = coalesce(var.kv_node_type, local.environment_defaults.kvNodeType[var.environment])
  kv_replicas       = coalesce(var.kv_replicas, local.environment_defaults.kvReplicas[var.environment])
  qdrant_node_count = coalesce(var.qdrant_node_count, local.environment_defaults.qdrantNodeCount[var.environment])
  off_hours_stores  = coalesce(var.off_hours_stores, local.environment_defaults.offHoursStores[var.environment])
}
