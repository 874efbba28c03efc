package org.fusionmpc.site;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Benchmark plots as PNG files, drawn by JFreeChart. */
final class Plots {

    static final int WIDTH = 760;
    static final int HEIGHT = 380;

    private Plots() {
    }

    /** Bars: category → series → value. */
    static void bars(Path file, String title, String valueAxis, Map<String, Map<String, Double>> data, boolean log, boolean stacked)
            throws IOException {
        bars(file, title, valueAxis, data, log, stacked, false);
    }

    /** Horizontal bars keep long category names readable (one row per category, height grows with them). */
    static void bars(Path file, String title, String valueAxis, Map<String, Map<String, Double>> data, boolean log, boolean stacked,
                     boolean horizontal) throws IOException {
        PlotOrientation orientation = horizontal ? PlotOrientation.HORIZONTAL : PlotOrientation.VERTICAL;
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        data.forEach((category, series) -> series.forEach((name, v) -> ds.addValue(v, name, category)));
        JFreeChart chart = stacked
                ? ChartFactory.createStackedBarChart(title, null, valueAxis, ds, orientation, true, false, false)
                : ChartFactory.createBarChart(title, null, valueAxis, ds, orientation, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        style(chart);
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        if (log) {
            LogarithmicAxis axis = new LogarithmicAxis(valueAxis);
            axis.setStrictValuesFlag(false);
            r.setIncludeBaseInRange(false); // bars start at the axis floor, not at 0 (which has no logarithm)
            plot.setRangeAxis(axis);
        }
        int height = horizontal ? Math.max(HEIGHT, 90 + 26 * data.size()) : HEIGHT;
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, height);
    }

    /** Lines: series → list of (x, y). */
    static void lines(Path file, String title, String xAxis, String yAxis, Map<String, List<double[]>> data) throws IOException {
        XYSeriesCollection ds = new XYSeriesCollection();
        data.forEach((name, points) -> {
            XYSeries s = new XYSeries(name);
            points.forEach(p -> s.add(p[0], p[1]));
            ds.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, xAxis, yAxis, ds, PlotOrientation.VERTICAL, true, false, false);
        style(chart);
        XYPlot plot = chart.getXYPlot();
        plot.getRenderer().setDefaultStroke(new java.awt.BasicStroke(2f));
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        chart.getPlot().setBackgroundPaint(new Color(0xf6f7f9));
    }
}
