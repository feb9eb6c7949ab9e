/* Prints ken's JSON (ken_topo_*_to_json) of a fixed switch, link and
 * host, one per line, for the OS-Ken oracle (json_oracle.py), which
 * builds the same objects with os_ken.topology.switches and compares
 * their to_dict() key for key. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "ken/topology.h"

static struct ken_topo_port port(uint64_t dpid, uint32_t no, const char *name)
{
    struct ken_topo_port p = {.dpid = dpid, .port_no = no};
    const uint8_t mac[6] = {0x0a, 0x1b, 0x2c, 0x3d, (uint8_t)dpid, (uint8_t)no};
    memcpy(p.hw_addr, mac, 6);
    snprintf(p.name, sizeof p.name, "%s", name);
    return p;
}

static void put(struct json_object *o)
{
    printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    json_object_put(o);
}

int main(void)
{
    struct ken_topo_port ports[2] = {port(0x1234567890abcdefull, 1, "br0-eth1"), port(0x1234567890abcdefull, 0xfffffff0u, "x")};
    struct ken_topo_switch sw = {.dpid = 0x1234567890abcdefull, .n_ports = 2, .ports = ports};
    put(ken_topo_switch_to_json(&sw));
    struct ken_topo_link l = {port(1, 2, "s1-eth2"), port(2, 3, "s2-eth3")};
    put(ken_topo_link_to_json(&l));
    struct ken_topo_host h = {.mac = {0, 0, 0, 0, 0, 1}, .port = port(1, 1, "s1-eth1"), .n_ipv4 = 2, .n_ipv6 = 2,
                              .ipv4 = {{10, 0, 0, 1}, {192, 168, 1, 254}},
                              .ipv6 = {{0xfe, 0x80, [15] = 1}, {0x20, 0x01, 0x0d, 0xb8, [14] = 0xab, [15] = 0xcd}}};
    put(ken_topo_host_to_json(&h));
    return 0;
}
