/*
 * audit_svg.c - the timeline as an inline SVG bar chart for the HTML
 * report: one bar per bucket, failed mails stacked in red on the
 * passed ones in green, a hover title giving the counts.  Every word in
 * it is written here (dates and numbers); no mail text reaches it.
 */
#include "audit_report.h"

#define W	960
#define H	280
#define LEFT	56
#define RIGHT	16
#define TOP	16
#define BOTTOM	64

/* A step of 1, 2 or 5 times a power of ten: about four grid lines. */
static unsigned
grid_step(unsigned most)
{
	unsigned step = 1;

	for (;;) {
		if (most / step <= 4)
			return step;
		if (most / (step * 2) <= 4)
			return step * 2;
		if (most / (step * 5) <= 4)
			return step * 5;
		step *= 10;
	}
}

static void
axes(FILE *f, unsigned most, double plot_h)
{
	unsigned step = grid_step(most), v;

	for (v = 0; v <= most; v += step) {
		double y = TOP + plot_h - plot_h * v / most;

		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
		    "stroke=\"#ddd\"/>\n<text x=\"%d\" y=\"%.1f\" "
		    "text-anchor=\"end\" font-size=\"12\" fill=\"#555\">%u"
		    "</text>\n", LEFT, y, W - RIGHT, y, LEFT - 6, y + 4, v);
	}
}

static void
bar(FILE *f, const struct audit_bucket *b, double x, double bw,
    double plot_h, unsigned most)
{
	double hp = plot_h * (b->mails - b->failed) / most;
	double hf = plot_h * b->failed / most;
	double base = TOP + plot_h;

	fprintf(f, "<g><title>%s: %u mail%s, %u failed</title>\n", b->label,
	    b->mails, b->mails == 1 ? "" : "s", b->failed);
	if (hp > 0)
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"#2e8b57\"/>\n", x, base - hp, bw,
		    hp);
	if (hf > 0)
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"#c62828\"/>\n", x, base - hp - hf,
		    bw, hf);
	fputs("</g>\n", f);
}

void
audit_write_svg(const struct audit_report *r, FILE *f)
{
	guint n = r->timeline->len, i, every;
	double plot_w = W - LEFT - RIGHT, plot_h = H - TOP - BOTTOM, slot;
	unsigned most = 1;

	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
	    "aria-label=\"validation mails per %s\" "
	    "font-family=\"system-ui,sans-serif\">\n", W, H, W, H, r->unit);
	if (n == 0) {
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"14\" "
		    "fill=\"#555\">no dated validation mail</text>\n</svg>\n",
		    LEFT, TOP + 20);
		return;
	}
	for (i = 0; i < n; i++)
		most = MAX(most, g_array_index(r->timeline,
		    struct audit_bucket, i).mails);
	axes(f, most, plot_h);
	slot = plot_w / n;
	every = (n + 15) / 16;
	for (i = 0; i < n; i++) {
		const struct audit_bucket *b = &g_array_index(r->timeline,
		    struct audit_bucket, i);
		double x = LEFT + slot * i;

		bar(f, b, x + slot * 0.1, slot * 0.8, plot_h, most);
		if (i % every != 0 && i != n - 1)
			continue;
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" "
		    "fill=\"#333\" text-anchor=\"end\" transform=\"rotate(-40 "
		    "%.1f %d)\">%s</text>\n", x + slot / 2, TOP + (int)plot_h +
		    16, x + slot / 2, TOP + (int)plot_h + 16, b->label);
	}
	fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
	    "stroke=\"#888\"/>\n</svg>\n", LEFT, TOP + plot_h, W - RIGHT,
	    TOP + plot_h);
}
