/*
 * order.h - put input files in chronological order, not argument order.
 *
 * Rotated names sort oldest first within one log: "x.log.10.gz" < "x.log.2.gz" < "x.log.1"
 * < "x.log" (logrotate's numbered scheme, higher is older), and "x.log-20261123.gz" <
 * "x.log-20261124" < "x.log" (dateext). Different logs are ordered by their first timestamp
 * when every log has one, else they keep the order in which they were named. stdin ("-")
 * always comes last.
 */
#ifndef SIPLOGSCAN_ORDER_H
#define SIPLOGSCAN_ORDER_H

#include <stddef.h>
#include <stdint.h>

struct order_item {
	const char *path;
	int64_t first_time;	/* TIME_UNKNOWN when the file has none */
	size_t arg_index;	/* position on the command line */
};

/* Sort items in place into scanning order. */
void order_files(struct order_item *items, size_t n);

#endif
