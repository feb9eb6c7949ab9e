/* The topology page's files (apps/gui/ and cytoscape.js from npm),
 * embedded at build time by tools/embed-assets.py. */
#ifndef KEN_APPS_GUI_ASSETS_H
#define KEN_APPS_GUI_ASSETS_H

#include <stddef.h>

struct gui_asset {
    const char *path;          /* "/", "/gui/cytoscape.min.js" */
    const char *content_type;
    const unsigned char *data; /* NUL-terminated past len */
    size_t len;
};

extern const struct gui_asset gui_assets[]; /* ends with path NULL */

#endif
