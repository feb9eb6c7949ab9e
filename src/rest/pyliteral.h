/* pyliteral: a request body read the way Ryu's ofctl_rest reads the body
 * of its command routes (ast.literal_eval), giving json-c objects.
 *
 * Clients of Ryu's ofctl_rest send JSON, but also Python literals (the
 * route reads them with ast.literal_eval so that experimenter data may be
 * written as Python text), and json-c cannot read those. So this small
 * parser takes both:
 *   - JSON: objects, arrays, strings, numbers, true, false, null;
 *   - Python literals: dicts, lists, tuples and sets (both become arrays),
 *     strings in single, double or triple quotes with Python's escapes and
 *     the r/u/b prefixes (bytes become strings of those bytes), adjacent
 *     strings joined, integers in any base with underscores (0x1f, 0o17,
 *     0b101, 1_000), floats, one + or - sign, True, False, None, trailing
 *     commas and # comments.
 * Not taken: complex numbers, \N{...} escapes, f-strings, names, any
 * expression; dict keys that are not strings (json-c keys are strings).
 * "\/" is "/" as in JSON (Python would keep the backslash).
 *
 * Bounded: nesting deeper than PYLITERAL_MAX_DEPTH is refused (no deep
 * recursion on hostile input); integers must fit 64 bits (signed, or
 * unsigned when positive); the text must be UTF-8 without NUL bytes (Ryu
 * decodes it as UTF-8). Everything else is bounded by the text's length. */
#ifndef KEN_REST_PYLITERAL_H
#define KEN_REST_PYLITERAL_H

#include <stdbool.h>
#include <stddef.h>

#include "ken/ofp.h" /* KEN_WHY_LEN */

struct json_object;

#define PYLITERAL_MAX_DEPTH 100

/* Parses the len bytes of text as one literal (white space and comments
 * around it). true with *out (the caller's: json_object_put; NULL is
 * None/null); false with why saying what is wrong and where ("... at line
 * 2, column 7"), *out NULL. */
bool pyliteral_parse(const char *text, size_t len, struct json_object **out, char why[KEN_WHY_LEN]);

#endif
