package io.decide.tools.scalars;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders {@link TradeoffCurve} points as an SVG chart: performance delta (%) on x, engagement delta (%) on y, one
 * line per series (methods and the uniform policy), operating points as labelled markers, axes with ticks, zero
 * lines, axis labels and a legend.
 */
public final class CurvePlot
{
    private static final int WIDTH = 960;
    private static final int HEIGHT = 600;
    private static final int LEFT = 90;
    private static final int RIGHT = 290;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    private CurvePlot()
    {
    }

    /**
     * @param title  chart title.
     * @param points the points.
     * @return SVG text.
     */
    public static String svg(final String title, final List<TradeoffCurve.Point> points)
    {
        final Map<String, List<TradeoffCurve.Point>> lines = new LinkedHashMap<>();
        final List<TradeoffCurve.Point> markers = new ArrayList<>();
        double minX = 0;
        double maxX = 0;
        double minY = 0;
        double maxY = 0;
        for (final TradeoffCurve.Point p : points)
        {
            if (p.series().contains(":"))
            {
                markers.add(p);
            }
            else
            {
                lines.computeIfAbsent(p.series(), s -> new ArrayList<>()).add(p);
            }
        }
        for (final TradeoffCurve.Point p : points)
        {
            if (p.series().equals("uniform") && !lines.isEmpty() && lines.size() > 1)
            {
                continue;
            }
            minX = Math.min(minX, 100 * p.deltas().performanceDelta());
            maxX = Math.max(maxX, 100 * p.deltas().performanceDelta());
            minY = Math.min(minY, 100 * p.deltas().engagementDelta());
            maxY = Math.max(maxY, 100 * p.deltas().engagementDelta());
        }
        final double[] xr = niceRange(minX, maxX);
        final double[] yr = niceRange(minY, maxY);
        final double plotW = WIDTH - LEFT - RIGHT;
        final double plotH = HEIGHT - TOP - BOTTOM;
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" " +
            "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Arial, sans-serif\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"28\" font-size=\"18\" font-weight=\"bold\">%s" +
            "</text>%n", LEFT, escape(title)));
        out.append(String.format(Locale.ROOT, "<defs><clipPath id=\"plot\"><rect x=\"%d\" y=\"%d\" width=\"%.1f\" " +
            "height=\"%.1f\"/></clipPath></defs>%n", LEFT, TOP, plotW, plotH));
        for (double t = xr[0]; t <= xr[1] + xr[2] / 2; t += xr[2])
        {
            final double x = LEFT + (t - xr[0]) / (xr[1] - xr[0]) * plotW;
            out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" " +
                "stroke=\"#e0e0e0\"/>%n", x, TOP, x, TOP + plotH));
            out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" " +
                "text-anchor=\"middle\">%s</text>%n", x, TOP + plotH + 18, label(t, xr[2])));
        }
        for (double t = yr[0]; t <= yr[1] + yr[2] / 2; t += yr[2])
        {
            final double y = TOP + plotH - (t - yr[0]) / (yr[1] - yr[0]) * plotH;
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" " +
                "stroke=\"#e0e0e0\"/>%n", LEFT, y, LEFT + plotW, y));
            out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"12\" " +
                "text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4, label(t, yr[2])));
        }
        final double zeroX = LEFT + (0 - xr[0]) / (xr[1] - xr[0]) * plotW;
        final double zeroY = TOP + plotH - (0 - yr[0]) / (yr[1] - yr[0]) * plotH;
        out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" " +
            "stroke-dasharray=\"4 3\"/>%n", zeroX, TOP, zeroX, TOP + plotH));
        out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" " +
            "stroke-dasharray=\"4 3\"/>%n", LEFT, zeroY, LEFT + plotW, zeroY));
        out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" " +
            "stroke=\"black\"/>%n", LEFT, TOP, plotW, plotH));
        out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"14\" text-anchor=\"middle\">" +
            "performance delta vs uniform x = 1 (%%)</text>%n", LEFT + plotW / 2, HEIGHT - 22));
        out.append(String.format(Locale.ROOT, "<text x=\"22\" y=\"%.1f\" font-size=\"14\" text-anchor=\"middle\" " +
            "transform=\"rotate(-90 22 %.1f)\">engagement delta vs uniform x = 1 (%%)</text>%n",
            TOP + plotH / 2, TOP + plotH / 2));
        int colour = 0;
        int legendY = TOP + 10;
        for (final Map.Entry<String, List<TradeoffCurve.Point>> line : lines.entrySet())
        {
            final String c = line.getKey().equals("uniform") ? "#555555" : COLOURS[colour++ % COLOURS.length];
            final String dash = line.getKey().equals("uniform") ? " stroke-dasharray=\"6 4\"" : "";
            final StringBuilder path = new StringBuilder();
            for (final TradeoffCurve.Point p : line.getValue())
            {
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.2f %.2f",
                    LEFT + (100 * p.deltas().performanceDelta() - xr[0]) / (xr[1] - xr[0]) * plotW,
                    TOP + plotH - (100 * p.deltas().engagementDelta() - yr[0]) / (yr[1] - yr[0]) * plotH));
            }
            out.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s " +
                "clip-path=\"url(#plot)\"/>%n", path, c, dash));
            out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" " +
                "stroke-width=\"2\"%s/>%n", LEFT + plotW + 15, legendY, LEFT + plotW + 45, legendY, c, dash));
            out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"13\">%s</text>%n",
                LEFT + plotW + 52, legendY + 4, escape(line.getKey().equals("uniform") ? "uniform x (all cohorts)" :
                line.getKey())));
            legendY += 22;
        }
        legendY += 8;
        for (final TradeoffCurve.Point p : markers)
        {
            final double x = LEFT + (100 * p.deltas().performanceDelta() - xr[0]) / (xr[1] - xr[0]) * plotW;
            final double y = TOP + plotH - (100 * p.deltas().engagementDelta() - yr[0]) / (yr[1] - yr[0]) * plotH;
            final boolean neutralEngagement = p.series().startsWith("neutral-engagement");
            final String shape = neutralEngagement ?
                String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"9\" height=\"9\"", x - 4.5, y - 4.5) :
                String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\"", x, y);
            out.append(shape).append(" fill=\"black\"/>\n");
            final String method = p.series().substring(p.series().indexOf(':') + 1);
            out.append(shape.replace(String.format(Locale.ROOT, "%.1f", x), String.format(Locale.ROOT, "%.1f",
                LEFT + plotW + 19.5)).replace(String.format(Locale.ROOT, "%.1f", x - 4.5), String.format(Locale.ROOT,
                "%.1f", LEFT + plotW + 15)).replace(String.format(Locale.ROOT, "%.1f", y), String.format(Locale.ROOT,
                "%.1f", legendY - 4.0)).replace(String.format(Locale.ROOT, "%.1f", y - 4.5), String.format(Locale.ROOT,
                "%.1f", legendY - 8.5))).append(" fill=\"black\"/>\n");
            out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>%n",
                LEFT + plotW + 30, legendY, escape((neutralEngagement ? "max perf. at neutral eng." :
                "max eng. at neutral perf.") + " (" + method + ")")));
            out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>%n",
                LEFT + plotW + 30, legendY + 14, String.format(Locale.ROOT, "perf %+.3f%%, eng %+.3f%%",
                100 * p.deltas().performanceDelta(), 100 * p.deltas().engagementDelta())));
            legendY += 32;
        }
        out.append("</svg>\n");
        return out.toString();
    }

    private static double[] niceRange(final double min, final double max)
    {
        final double span = Math.max(max - min, 1e-6);
        final double raw = span / 8;
        final double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        final double residual = raw / magnitude;
        final double step = (residual > 5 ? 10 : residual > 2 ? 5 : residual > 1 ? 2 : 1) * magnitude;
        return new double[]{Math.floor(min / step) * step, Math.ceil(max / step) * step, step};
    }

    private static String label(final double value, final double step)
    {
        final int decimals = Math.max(0, (int)Math.ceil(-Math.log10(step) + 1e-9));
        final double v = Math.abs(value) < step / 1e6 ? 0 : value;
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
