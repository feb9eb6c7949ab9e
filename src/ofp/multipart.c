/* STUB: replaced by the 1.2-1.5 multipart messages. */
#include "ofp/msgtable.h"
#include "ofp/ports.h"
static const struct ofp_field empty_fields[] = {F_END};
const struct ofp_desc ofp_port_12 = {"OFPPort", empty_fields, 0, 0};
const struct ofp_desc ofp_port_14 = {"OFPPort", empty_fields, 0, 0};
static const struct ofp_field desc_req_fields[] = {F_DEF(2, "type", 0), F_U16("flags"), F_PAD(4), F_END};
static const struct ofp_desc desc_req = {"OFPDescStatsRequest", desc_req_fields, 0, 0};
static const struct ofp_msg_row rows[] = {{OFPV_13_15, 18, 0, OFP_ANY, &desc_req}};
OFP_MSG_ROWS(ofp_rows_multipart, rows);
