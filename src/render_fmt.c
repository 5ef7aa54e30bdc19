/*
 * render_fmt.c - how the text and HTML reports write figures for people.
 */
#include "render.h"

#include <inttypes.h>
#include <stdio.h>

void fmt_num(struct buf *b, uint64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%" PRIu64, v);

	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf_addc(b, ',');
		buf_addc(b, tmp[i]);
	}
}

void fmt_bytes(struct buf *b, uint64_t v)
{
	static const char *const unit[] = { "B", "KB", "MB", "GB", "TB" };
	double d = (double)v;
	int u = 0;

	while (d >= 1000 && u < 4) {
		d /= 1000;
		u++;
	}
	if (u == 0)
		buf_printf(b, "%" PRIu64 " B", v);
	else
		buf_printf(b, "%.1f %s", d, unit[u]);
}

void fmt_dur(struct buf *b, int64_t us)
{
	if (us < 0) {
		buf_adds(b, "unknown");
	} else if (us < 10000) {
		buf_printf(b, "%.1f ms", (double)us / 1000.0);
	} else if (us < 1000000) {
		buf_printf(b, "%" PRId64 " ms", (us + 500) / 1000);
	} else if (us < 120000000) {
		buf_printf(b, "%.2f s", (double)us / 1e6);
	} else {
		int64_t s = (us + 500000) / 1000000;
		buf_printf(b, "%" PRId64 " min %02" PRId64 " s", s / 60, s % 60);
	}
}
