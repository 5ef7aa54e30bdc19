/*
 * siplogscan.c - the program's entry point: everything else is siplogscan_main() (main.h).
 */
#include "main.h"

int main(int argc, char **argv)
{
	return siplogscan_main(argc, argv);
}
