// socle: infrastructure as code for hospital and public-sector IT.
// Import the domain you need: socle/network, socle/openstack, socle/kubernetes, socle/switch, socle/secrets, socle/delivery.
export * as network from "./components/network";
export * as openstack from "./components/openstack";
export * as kubernetes from "./components/kubernetes";
export * as delivery from "./delivery";
