/*
 * Reference plug-in transfer entropy TE(X -> Y) for the information benchmark, written the
 * straightforward way (as the Inform library does): for every target time the target history is
 * re-read symbol by symbol, four histograms are incremented, and the sum runs over the joint one.
 *
 *   TE = sum_{n,h,s} p(n,h,s) log2 [ p(n,h,s) p(h) / (p(h,s) p(n,h)) ]
 *
 * with next value n = y[t], target history h = y[t-k..t-1], source s = x[t-1] (l = 1, delay 1),
 * over t = k .. N-1. Same definition as lib/transfer-entropy.ts.
 *
 * Usage: te <file> <N> <base> <k> <repeats>
 *   <file> holds x (N bytes) then y (N bytes), one symbol per byte.
 * Prints: "<median CPU milliseconds> <TE in bits>".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CPU time of this process, so that a busy shared machine inflates it less than wall time. */
static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
  double d = *(const double *)a - *(const double *)b;
  return (d > 0) - (d < 0);
}

static double transfer_entropy(const unsigned char *x, const unsigned char *y, long n, int b, int k,
                               long *joint, long *hs, long *hn, long *h) {
  long bk = 1;
  for (int i = 0; i < k; ++i) bk *= b;
  memset(joint, 0, sizeof(long) * bk * b * b);
  memset(hs, 0, sizeof(long) * bk * b);
  memset(hn, 0, sizeof(long) * bk * b);
  memset(h, 0, sizeof(long) * bk);
  for (long t = k; t < n; ++t) {
    long past = 0;
    for (long i = t - k; i < t; ++i) past = past * b + y[i];
    int next = y[t];
    int src = x[t - 1];
    joint[(past * b + next) * b + src]++;
    hs[past * b + src]++;
    hn[past * b + next]++;
    h[past]++;
  }
  double total = (double)(n - k), te = 0;
  for (long past = 0; past < bk; ++past) {
    for (int next = 0; next < b; ++next) {
      for (int src = 0; src < b; ++src) {
        long c = joint[(past * b + next) * b + src];
        if (c == 0) continue;
        te += c / total * log2((double)c * h[past] / ((double)hs[past * b + src] * hn[past * b + next]));
      }
    }
  }
  return te;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: te <file> <N> <base> <k> <repeats>\n");
    return 2;
  }
  long n = atol(argv[2]);
  int b = atoi(argv[3]), k = atoi(argv[4]), repeats = atoi(argv[5]);
  if (n <= k || b < 2 || k < 1 || repeats < 1) return 2;
  unsigned char *data = malloc(2 * n);
  FILE *f = fopen(argv[1], "rb");
  if (!f || fread(data, 1, 2 * n, f) != (size_t)(2 * n)) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  fclose(f);
  long bk = 1;
  for (int i = 0; i < k; ++i) bk *= b;
  long *joint = malloc(sizeof(long) * bk * b * b), *hs = malloc(sizeof(long) * bk * b);
  long *hn = malloc(sizeof(long) * bk * b), *h = malloc(sizeof(long) * bk);
  double *times = malloc(sizeof(double) * repeats), te = 0;
  te = transfer_entropy(data, data + n, n, b, k, joint, hs, hn, h); /* warm-up */
  for (int r = 0; r < repeats; ++r) {
    double t0 = now_ms();
    te = transfer_entropy(data, data + n, n, b, k, joint, hs, hn, h);
    times[r] = now_ms() - t0;
  }
  qsort(times, repeats, sizeof(double), cmp);
  printf("%.6f %.17g\n", times[repeats / 2], te);
  return 0;
}
