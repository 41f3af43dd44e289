package ui

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"
)

// Bar is one bar of a Chart.
type Bar struct {
	Label string
	Value float64
}

// Chart is a horizontal bar chart drawn as inline SVG (no script, no
// other host): a bar per value, its label and its value written beside it,
// scaled to the largest. Negative values draw as empty bars. Screen
// readers get the title and every label and value as text.
type Chart struct {
	Title string
	Bars  []Bar
	// Format writes a value; nil writes whole numbers grouped ("1.250").
	Format func(float64) string
}

const (
	chartRow    = 28  // px per bar
	chartLabelW = 160 // px for the labels
	chartBarW   = 360 // px for the longest bar
	chartValueW = 120 // px for the value text
)

// HTML writes the chart in a <figure class="b-chart">.
func (c Chart) HTML(r *http.Request) template.HTML {
	format := c.Format
	if format == nil {
		format = func(v float64) string {
			if v < 0 {
				return "-" + Number(uint64(-v+0.5))
			}
			return Number(uint64(v + 0.5))
		}
	}
	top := 0.0
	for _, b := range c.Bars {
		top = max(top, b.Value)
	}
	width := chartLabelW + chartBarW + chartValueW
	height := max(len(c.Bars), 1) * chartRow
	title := c.Title
	if title == "" {
		title = t(r, "chart")
	}
	var b strings.Builder
	b.WriteString(`<figure class="b-chart">`)
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d %d" width="100%%" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		width, height, template.HTMLEscapeString(title))
	for i, bar := range c.Bars {
		y := i * chartRow
		w := 0.0
		if top > 0 && bar.Value > 0 {
			w = bar.Value / top * chartBarW
		}
		label, value := template.HTMLEscapeString(bar.Label), template.HTMLEscapeString(format(bar.Value))
		fmt.Fprintf(&b, `<g><title>%s: %s</title>`, label, value)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" dominant-baseline="middle">%s</text>`, chartLabelW-8, y+chartRow/2, label)
		fmt.Fprintf(&b, `<rect class="b-chart-bar" x="%d" y="%d" width="%.1f" height="%d" rx="2"></rect>`, chartLabelW, y+4, w, chartRow-8)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" dominant-baseline="middle">%s</text></g>`, float64(chartLabelW)+w+6, y+chartRow/2, value)
	}
	b.WriteString(`</svg>`)
	b.WriteString(`<figcaption>` + template.HTMLEscapeString(title) + `</figcaption></figure>`)
	return template.HTML(b.String())
}
