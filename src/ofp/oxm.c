/* STUB: replaced by the OXM implementation. */
#include "ofp/oxm.h"
static int stub_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{ (void)end; (void)obj; return DFAIL(d, KEN_OFPBMC_BAD_FIELD, "%s: OXM not implemented", f->name); }
static int stub_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{ (void)obj; return EFAIL(e, KEN_OFPBMC_BAD_FIELD, "%s: OXM not implemented", f->name); }
const struct ofp_custom ofp_oxm_list = {stub_dec, stub_enc};
const struct ofp_custom ofp_oxm_one = {stub_dec, stub_enc};
const struct ofp_custom ofp_oxm_ids = {stub_dec, stub_enc};
static const struct ofp_field match_fields[] = {F_DEF(2, "type", 1), F_LEN(2, "length"), F_CUSTOM("oxm_fields", &ofp_oxm_list), F_END};
const struct ofp_desc ofp_match_desc = {"OFPMatch", match_fields, 8, DF_LEN_EXCL_PAD};
const struct ofp_desc ofp_stats_desc = {"OFPStats", match_fields, 8, DF_LEN_EXCL_PAD};
int ofp_oxm_from_header(const uint8_t *p, size_t n, uint8_t version, struct ofp_oxm_info *info, size_t *hdr_len)
{ (void)p; (void)n; (void)version; (void)info; (void)hdr_len; return -1; }
int ofp_oxm_from_name(const char *name, uint8_t version, struct ofp_oxm_info *info)
{ (void)name; (void)version; (void)info; return -1; }
