/*
 * inflate_floor.c - the inflate floor for the benchmark: decompress a gzip file (all members)
 * to nowhere with the backend siplogscan was built with, and print MB/s of output. Nothing
 * reading gzip input can be faster than this with the same backend on the same core.
 *
 * usage: inflate_floor FILE.gz
 */
#include "inflate.h"
#include "util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: inflate_floor FILE.gz\n");
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0)
		return err_errno("cannot read '%s'", argv[1]) ? 2 : 2;
	const unsigned char *in = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (in == MAP_FAILED)
		return 2;
	size_t in_len = (size_t)st.st_size;
	static unsigned char out[1 << 20];
	struct gunzip *g = gunzip_new();
	struct timespec a, z;
	unsigned long long total = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	while (in_len) {
		size_t produced;
		const char *err = NULL;
		enum gunzip_status s = gunzip_run(g, &in, &in_len, out, sizeof(out), &produced, &err);
		total += produced;
		if (s == GUNZIP_ERROR) {
			fprintf(stderr, "inflate_floor: %s\n", err);
			return 1;
		}
		if (s == GUNZIP_MEMBER_END)
			gunzip_reset(g);
		else if (!produced && !in_len)
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &z);
	double s = (double)(z.tv_sec - a.tv_sec) + (double)(z.tv_nsec - a.tv_nsec) / 1e9;
	printf("%s %.3f %.1f\n", gunzip_backend(), s, (double)total / 1e6 / s);
	gunzip_free(g);
	return 0;
}
