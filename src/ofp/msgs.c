/* STUB (partial): the 1.2-1.5 controller/switch messages. */
#include "ofp/msgtable.h"
#include "ofp/actions.h"
#include "ofp/msgs.h"
#include "ofp/oxm.h"

static const struct ofp_field empty_fields[] = {F_END};
static const struct ofp_field data_fields[] = {F_DATA("data"), F_END};
static const struct ofp_desc echo_request = {"OFPEchoRequest", data_fields, 0, 0};
static const struct ofp_desc echo_reply = {"OFPEchoReply", data_fields, 0, 0};
static const struct ofp_desc features_request = {"OFPFeaturesRequest", empty_fields, 0, 0};
static const struct ofp_desc barrier_request = {"OFPBarrierRequest", empty_fields, 0, 0};
static const struct ofp_desc barrier_reply = {"OFPBarrierReply", empty_fields, 0, 0};

static const struct ofp_field packet_in_13_fields[] = {
    F_U32("buffer_id"), F_U16("total_len"), F_U8("reason"), F_U8("table_id"), F_U64("cookie"),
    F_OBJ("match", &ofp_match_desc), F_PAD(2), F_DATA("data"), F_END};
static const struct ofp_desc packet_in_13 = {"OFPPacketIn", packet_in_13_fields, 0, 0};

static const struct ofp_field flow_mod_fields[] = {
    F_U64("cookie"), F_U64("cookie_mask"), F_U8("table_id"), F_U8("command"), F_U16("idle_timeout"),
    F_U16("hard_timeout"), F_U16("priority"), F_U32("buffer_id"), F_U32("out_port"), F_U32("out_group"),
    F_U16("flags"), F_PAD(2), F_OBJ("match", &ofp_match_desc), F_PLIST("instructions", &ofp_instructions), F_END};
static const struct ofp_desc flow_mod = {"OFPFlowMod", flow_mod_fields, 0, 0};

static const struct ofp_msg_row rows[] = {
    {OFPV_12_15, 2, OFP_NO_MP, OFP_ANY, &echo_request},
    {OFPV_12_15, 3, OFP_NO_MP, OFP_ANY, &echo_reply},
    {OFPV_12_15, 5, OFP_NO_MP, OFP_ANY, &features_request},
    {OFPV(4), 10, OFP_NO_MP, OFP_ANY, &packet_in_13},
    {OFPV_13_15, 14, OFP_NO_MP, OFP_ANY, &flow_mod},
    {OFPV_13_15, 20, OFP_NO_MP, OFP_ANY, &barrier_request},
    {OFPV_13_15, 21, OFP_NO_MP, OFP_ANY, &barrier_reply},
};
OFP_MSG_ROWS(ofp_rows_msgs, rows);
