/*
 * render.h - report model to bytes. Renderers only render: every figure is already in the
 * model; a renderer formats, escapes every string that came from a log, and appends to a
 * buffer. They never fail.
 */
#ifndef SIPLOGSCAN_RENDER_H
#define SIPLOGSCAN_RENDER_H

#include "report.h"
#include "util.h"

struct render_opts {
	int color;		/* ANSI colour (only when writing to a terminal) */
	unsigned width;		/* wrap prose at this many columns (text), default 100 */
};

/* JSON, schema siplogscan.report/1 (docs/json-schema.md). */
void render_json(struct buf *out, const struct report *r);

/* Plain text for a terminal or an email. */
void render_text(struct buf *out, const struct report *r, const struct render_opts *o);

/* "1.234" from microseconds, as milliseconds with 3 decimals (helper shared by renderers). */
void fmt_ms(struct buf *out, int64_t us);

#endif
