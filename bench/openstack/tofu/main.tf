# The MedicArche tenant of seed 002 in HCL, as an OpenTofu user would write
# it: the same OpenStack resources as socle's `medicarche` stack
# (stacks/medicarche.ts), with the same Terraform provider (v3.4.0) that
# socle's OpenStack plugin wraps. bench/openstack runs it side by side with
# the stack and checks that both make the same number of each resource.
#
# What socle makes itself has no OpenStack counterpart here and is given as
# variables: the generated passwords and SSH key (socle/secrets; here the
# bench draws them), the rendered cloud-init of the apps (socle's own), and
# the drift guards (socle's dynamic resources; OpenTofu has none).
# Credentials come from the OS_* environment.

terraform {
  required_providers {
    openstack = {
      source  = "terraform-provider-openstack/openstack"
      version = "= 3.4.0"
    }
  }
}

variable "prefix" {
  type    = string
  default = "medicarche"
}
variable "admin_cidr" {
  type = string
}
variable "client_cidr" {
  type = string
}
variable "external_network" {
  type    = string
  default = "external"
}
variable "subnet_cidr" {
  type    = string
  default = "192.168.222.0/24"
}
variable "image_path" {
  description = "qcow2 disk uploaded as the Ubuntu image"
  type        = string
}
variable "ssh_public_key" {
  type = string
}
variable "app_user_data" {
  description = "cloud-init of each app (odoo, nextcloud, syncthing, wordpress), database passwords inside"
  type        = map(string)
  sensitive   = true
}
variable "user_passwords" {
  description = "password of each IT team user, by role (admin, member, reader)"
  type        = map(string)
  sensitive   = true
}

provider "openstack" {}

locals {
  # The seed's apps: flavor, port inside the VM, port published by the proxy.
  apps = {
    odoo      = { vcpus = 2, ram = 2048, disk = 9, backend_port = 8069, public_port = 8087 }
    nextcloud = { vcpus = 2, ram = 2048, disk = 8, backend_port = 80, public_port = 8806 }
    syncthing = { vcpus = 1, ram = 1024, disk = 5, backend_port = 8384, public_port = 8885 }
    wordpress = { vcpus = 1, ram = 1024, disk = 5, backend_port = 80, public_port = 8088 }
  }
  flavors = merge(
    { for app, f in local.apps : app => { vcpus = f.vcpus, ram = f.ram, disk = f.disk } },
    { proxy = { vcpus = 1, ram = 512, disk = 5 } },
  )
  edge_ports = {
    http      = { port = 80, description = "HTTP" }
    https     = { port = 443, description = "HTTPS" }
    odoo      = { port = 8087, description = "Odoo via the reverse proxy" }
    wordpress = { port = 8088, description = "WordPress website via the reverse proxy" }
    nextcloud = { port = 8806, description = "Nextcloud via the reverse proxy" }
    syncthing = { port = 8885, description = "Syncthing via the reverse proxy" }
  }
  backend_ports = {
    "80"   = "Nextcloud, WordPress website from the reverse proxy"
    "8069" = "Odoo from the reverse proxy"
    "8384" = "Syncthing from the reverse proxy"
  }
  users = {
    admin  = "${var.prefix}-dsi-admin"
    member = "${var.prefix}-dsi-member"
    reader = "${var.prefix}-audit-reader"
  }
}

data "openstack_networking_network_v2" "external" {
  name = var.external_network
}
data "openstack_identity_auth_scope_v3" "current" {
  name = "current"
}
data "openstack_identity_role_v3" "role" {
  for_each = local.users
  name     = each.key
}

resource "openstack_compute_flavor_v2" "flavor" {
  for_each  = local.flavors
  name      = "${var.prefix}-${each.key}"
  vcpus     = each.value.vcpus
  ram       = each.value.ram
  disk      = each.value.disk
  is_public = true
}

resource "openstack_images_image_v2" "ubuntu" {
  name             = "${var.prefix}-ubuntu"
  local_file_path  = var.image_path
  container_format = "bare"
  disk_format      = "qcow2"
  visibility       = "private"
  verify_checksum  = true
  properties       = { os_distro = "ubuntu" }
}

resource "openstack_networking_network_v2" "private" {
  name           = "${var.prefix}-private"
  admin_state_up = true
}
resource "openstack_networking_subnet_v2" "private" {
  name       = "${var.prefix}-private"
  network_id = openstack_networking_network_v2.private.id
  cidr       = var.subnet_cidr
  ip_version = 4
}
resource "openstack_networking_router_v2" "private" {
  name                = "${var.prefix}-private"
  external_network_id = data.openstack_networking_network_v2.external.id
  admin_state_up      = true
}
resource "openstack_networking_router_interface_v2" "private" {
  router_id = openstack_networking_router_v2.private.id
  subnet_id = openstack_networking_subnet_v2.private.id
}

# Edge: the proxy's group. Backends: the apps' group, reachable from the proxy only.
resource "openstack_networking_secgroup_v2" "edge" {
  name                 = "${var.prefix}-edge"
  description          = "reverse proxy: seed ports from clients, SSH from admins"
  delete_default_rules = true
}
resource "openstack_networking_secgroup_v2" "apps" {
  name                 = "${var.prefix}-apps"
  description          = "application servers: app ports from the proxy only, SSH from admins"
  delete_default_rules = true
}
resource "openstack_networking_secgroup_rule_v2" "out" {
  for_each          = { edge = openstack_networking_secgroup_v2.edge.id, apps = openstack_networking_secgroup_v2.apps.id }
  security_group_id = each.value
  direction         = "egress"
  ethertype         = "IPv4"
  remote_ip_prefix  = "0.0.0.0/0"
  description       = "outbound traffic"
}
resource "openstack_networking_secgroup_rule_v2" "ssh" {
  for_each          = { edge = openstack_networking_secgroup_v2.edge.id, apps = openstack_networking_secgroup_v2.apps.id }
  security_group_id = each.value
  direction         = "ingress"
  ethertype         = "IPv4"
  protocol          = "tcp"
  port_range_min    = 22
  port_range_max    = 22
  remote_ip_prefix  = var.admin_cidr
  description       = "SSH from administrators only"
}
resource "openstack_networking_secgroup_rule_v2" "edge" {
  for_each          = local.edge_ports
  security_group_id = openstack_networking_secgroup_v2.edge.id
  direction         = "ingress"
  ethertype         = "IPv4"
  protocol          = "tcp"
  port_range_min    = each.value.port
  port_range_max    = each.value.port
  remote_ip_prefix  = var.client_cidr
  description       = each.value.description
}
resource "openstack_networking_secgroup_rule_v2" "backend" {
  for_each          = local.backend_ports
  security_group_id = openstack_networking_secgroup_v2.apps.id
  direction         = "ingress"
  ethertype         = "IPv4"
  protocol          = "tcp"
  port_range_min    = tonumber(each.key)
  port_range_max    = tonumber(each.key)
  remote_group_id   = openstack_networking_secgroup_v2.edge.id
  description       = each.value
}

resource "openstack_compute_keypair_v2" "admin" {
  name       = "${var.prefix}-admin"
  public_key = var.ssh_public_key
}

# One port per server (address and security groups), then the server on it.
resource "openstack_networking_port_v2" "app" {
  for_each           = local.apps
  name               = "${var.prefix}-${each.key}"
  network_id         = openstack_networking_network_v2.private.id
  security_group_ids = [openstack_networking_secgroup_v2.apps.id]
  admin_state_up     = true
  fixed_ip {
    subnet_id = openstack_networking_subnet_v2.private.id
  }
}
resource "openstack_compute_instance_v2" "app" {
  for_each    = local.apps
  name        = "${var.prefix}-${each.key}"
  flavor_name = openstack_compute_flavor_v2.flavor[each.key].name
  image_id    = openstack_images_image_v2.ubuntu.id
  key_pair    = openstack_compute_keypair_v2.admin.name
  user_data   = var.app_user_data[each.key]
  metadata = {
    "socle-app"              = each.key
    "socle-data-bearing"     = "true"
    "socle-user-data-sha256" = sha256(var.app_user_data[each.key])
  }
  network {
    port = openstack_networking_port_v2.app[each.key].id
  }
  lifecycle {
    ignore_changes = [user_data, image_id]
  }
}

resource "openstack_networking_port_v2" "proxy" {
  name               = "${var.prefix}-proxy"
  network_id         = openstack_networking_network_v2.private.id
  security_group_ids = [openstack_networking_secgroup_v2.edge.id]
  admin_state_up     = true
  fixed_ip {
    subnet_id = openstack_networking_subnet_v2.private.id
  }
}
locals {
  proxy_user_data = <<-EOT
    #cloud-config
    hostname: ${var.prefix}-proxy
    timezone: Europe/Paris
    packages: [nginx]
    write_files:
      - path: /etc/nginx/conf.d/medicarche.conf
        content: |
%{for app, a in local.apps~}
          server { listen ${a.public_port}; location / { proxy_pass http://${openstack_networking_port_v2.app[app].all_fixed_ips[0]}:${a.backend_port}; } }
%{endfor~}
    runcmd:
      - [systemctl, reload, nginx]
  EOT
}
resource "openstack_compute_instance_v2" "proxy" {
  name        = "${var.prefix}-proxy"
  flavor_name = openstack_compute_flavor_v2.flavor["proxy"].name
  image_id    = openstack_images_image_v2.ubuntu.id
  key_pair    = openstack_compute_keypair_v2.admin.name
  user_data   = local.proxy_user_data
  metadata = {
    "socle-app"              = "reverse-proxy"
    "socle-data-bearing"     = "false"
    "socle-user-data-sha256" = sha256(local.proxy_user_data)
  }
  network {
    port = openstack_networking_port_v2.proxy.id
  }
}

# The proxy's floating IP, once the subnet is routed to the external network.
resource "openstack_networking_floatingip_v2" "proxy" {
  pool        = var.external_network
  description = "${var.prefix}-proxy"
}
resource "openstack_networking_floatingip_associate_v2" "proxy" {
  floating_ip = openstack_networking_floatingip_v2.proxy.address
  port_id     = openstack_networking_port_v2.proxy.id
  depends_on  = [openstack_networking_router_interface_v2.private]
}

# The IT team: member, admin and reader on the current project.
resource "openstack_identity_user_v3" "team" {
  for_each           = local.users
  name               = each.value
  domain_id          = "default"
  default_project_id = data.openstack_identity_auth_scope_v3.current.project_id
  password           = var.user_passwords[each.key]
}
resource "openstack_identity_role_assignment_v3" "team" {
  for_each   = local.users
  project_id = data.openstack_identity_auth_scope_v3.current.project_id
  user_id    = openstack_identity_user_v3.team[each.key].id
  role_id    = data.openstack_identity_role_v3.role[each.key].id
}

output "proxy_address" {
  value = openstack_networking_floatingip_v2.proxy.address
}
