/* The typed codec's normal forms: what a trip through the struct may
 * change in OS-Ken's JSON of a message without changing what it means.
 * fuzz-typed and conformance-typed compare the JSON of the input and of the
 * struct encoded again after bringing both to this form. */
#ifndef KEN_TEST_NORMAL_FORM_H
#define KEN_TEST_NORMAL_FORM_H

#include <json-c/json.h>

void ofp_normal_form(json_object *o);

#endif
