/* Prints ken's LLDP link-discovery frame in hex, for the OS-Ken oracle
 * (lldp_oracle.py):
 *
 *   lldp-frame DPID PORT_NO MAC     (DPID and PORT_NO decimal or 0x hex)
 *   lldp-frame --len                KEN_TOPO_LLDP_PACKET_LEN */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ken/topology.h"

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "--len")) {
        printf("%d\n", KEN_TOPO_LLDP_PACKET_LEN);
        return 0;
    }
    unsigned m[6];
    if (argc != 4 || sscanf(argv[3], "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6) {
        fprintf(stderr, "usage: lldp-frame DPID PORT_NO MAC | --len\n");
        return 2;
    }
    uint8_t mac[6];
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)m[i];
    struct ken_buf b = KEN_BUF_INIT;
    ken_topo_lldp_build(&b, strtoull(argv[1], NULL, 0), (uint32_t)strtoul(argv[2], NULL, 0), mac);
    for (size_t i = 0; i < b.len; i++)
        printf("%02x", b.data[i]);
    printf("\n");
    ken_buf_free(&b);
    return 0;
}
