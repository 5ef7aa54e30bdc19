/*
 * fuzz_run.c - libFuzzer target: whole runs of siplogscan (siplogscan_main(), main.h) on files
 * on disk, with options taken from the input: several inputs, plain or gzipped, some missing
 * or empty, a random thread count and block size, a forced or detected format, every report
 * format, and free option words for the parser. Whatever the bytes, a run must end with a
 * status of 0, 1 or 2 - no crash, no hang, no leak, no read out of bounds.
 *
 * The input is: a header byte of flags, a byte of counts, then (when flag 0x40) option words
 * separated by spaces up to a NUL byte, then the files' contents, separated by the bytes
 * "\xff\xfe". Option words are kept inside the fuzzer's directory (a word with a '/' is
 * dropped), so a run can write only there. Build and run: make fuzz; make check runs the
 * corpus in tests/fuzz/corpus/run once.
 *
 * Run it with -close_fd_mask=3: the reports and notes go to stdout and stderr.
 */
#include "main.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define MAX_FILES 4
#define MAX_WORDS 24

static char dir[] = "/tmp/siplogscan-fuzz-run.XXXXXX";

static void write_file(const char *path, const uint8_t *p, size_t n, int gz)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		abort();
	if (!gz) {
		if (n)
			fwrite(p, 1, n, f);
	} else {
		z_stream z;
		unsigned char out[16384];
		memset(&z, 0, sizeof(z));
		if (deflateInit2(&z, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			abort();
		z.next_in = (unsigned char *)p;
		z.avail_in = (uInt)n;
		int r;
		do {
			z.next_out = out;
			z.avail_out = sizeof(out);
			r = deflate(&z, Z_FINISH);
			fwrite(out, 1, sizeof(out) - z.avail_out, f);
		} while (r == Z_OK);
		deflateEnd(&z);
	}
	fclose(f);
}

/* The next file's bytes: up to the separator "\xff\xfe" or the end. */
static size_t next_part(const uint8_t *p, size_t n, size_t *skip)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (p[i] == 0xff && p[i + 1] == 0xfe) {
			*skip = i + 2;
			return i;
		}
	*skip = n;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = { "text", "json", "csv", "html", "prom" };
	static const char *const logfmt[] = { "auto", "auto", "sip", "kamailio" };
	static const char *const blocks[] = { "4K", "16K", "64K", "4M" };
	char *argv[16 + MAX_WORDS + MAX_FILES + 1];
	char words[512], files[MAX_FILES][16], jstr[8];
	int argc = 0;

	if (size < 2)
		return 0;
	if (dir[sizeof(dir) - 2] == 'X') {
		if (!mkdtemp(dir) || chdir(dir) != 0)
			abort();
	}
	uint8_t flags = data[0], counts = data[1];
	data += 2;
	size -= 2;

	argv[argc++] = "siplogscan";
	argv[argc++] = "-q";
	snprintf(jstr, sizeof(jstr), "%u", 1u + (counts & 3));
	argv[argc++] = "-j";
	argv[argc++] = jstr;
	argv[argc++] = "--block-size";
	argv[argc++] = (char *)blocks[(counts >> 2) & 3];
	argv[argc++] = "-l";
	argv[argc++] = (char *)logfmt[(counts >> 4) & 3];
	argv[argc++] = "-f";
	argv[argc++] = (char *)formats[(flags & 7) % 5];
	if (flags & 0x20) {
		argv[argc++] = "--calls-csv";
		argv[argc++] = "calls.csv";
	}
	if (flags & 0x80) {
		argv[argc++] = "-o";
		argv[argc++] = "report.json";
	}
	if (flags & 0x40) {
		/* option words from the input, kept within this directory */
		size_t n = 0;
		while (n < size && n < sizeof(words) - 1 && data[n])
			n++;
		memcpy(words, data, n);
		words[n] = '\0';
		data += n < size ? n + 1 : n;
		size -= n < size ? n + 1 : n;
		int w = 0;
		for (char *t = strtok(words, " "); t && w < MAX_WORDS; t = strtok(NULL, " ")) {
			if (strchr(t, '/') || !strcmp(t, "-"))
				continue;	/* outside the directory, or stdin (the fuzzer's) */
			argv[argc++] = t;
			w++;
		}
	}
	/* the files: gzip when bit k of the flags' top (0x08, 0x10) says so; one may be
	 * missing (named, never written) */
	int nfiles = 1 + ((counts >> 6) & 3);
	for (int k = 0; k < nfiles; k++) {
		size_t skip, n = next_part(data, size, &skip);
		snprintf(files[k], sizeof(files[k]), "f%d.log", k);
		if (k == 2 && (flags & 0x18) == 0x18)
			unlink(files[k]);	/* a missing file */
		else
			write_file(files[k], data, n, (flags >> (3 + (k & 1))) & 1);
		data += skip;
		size -= skip;
		argv[argc++] = files[k];
	}
	argv[argc] = NULL;
	int rc = siplogscan_main(argc, argv);
	if (rc < 0 || rc > 2)
		abort();
	return 0;
}
