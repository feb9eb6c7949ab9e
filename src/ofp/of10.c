/* STUB: replaced by the OpenFlow 1.0 messages. */
#include "ofp/msgtable.h"
static const struct ofp_field empty_fields[] = {F_END};
static const struct ofp_desc features_request = {"OFPFeaturesRequest", empty_fields, 0, 0};
static const struct ofp_msg_row rows[] = {{OFPV(1), 5, OFP_NO_MP, OFP_ANY, &features_request}};
OFP_MSG_ROWS(ofp_rows_of10, rows);
