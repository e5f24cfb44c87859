package main

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"html"
	"io"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// point is one measurement: a value at a corpus size.
type point struct {
	articles int
	value    float64
}

// series is one line of a panel.
type series struct {
	name   string
	points []point
}

// panel is one chart: a metric of some benchmarks against articles.
type panel struct {
	title, unit string
	// pick maps a benchmark line to its series name and value, or ok false.
	pick func(bench, engine string, askers int, metrics map[string]float64) (name string, v float64, ok bool)
}

var panels = []panel{
	{"processor time per question", "cpu-ms", func(bench, engine string, askers int, m map[string]float64) (string, float64, bool) {
		v, ok := m["cpu-ms"]
		switch {
		case !ok || askers != 1:
			return "", 0, false
		case bench == "Ask":
			return engine + ", new question", v, true
		case bench == "AskWarm" && engine == "verbatim":
			return engine + ", asked again", v, true
		}
		return "", 0, false
	}},
	{"start-up to the first answer", "cpu-ms", func(bench, engine string, _ int, m map[string]float64) (string, float64, bool) {
		v, ok := m["cpu-ms"]
		if bench != "Reopen" || !ok {
			return "", 0, false
		}
		return engine, v, true
	}},
}

// benchLine matches a result line's name: Benchmark<name>/articles=N/engine=E[/askers=K][-procs].
var benchLine = regexp.MustCompile(`^Benchmark(\w+)/articles=(\d+)/engine=(\w+)(?:/askers=(\d+))?(?:-\d+)?$`)

// parse reads benchmark output into the panels' series; several lines of
// one benchmark are averaged.
func parse(r io.Reader) ([][]series, error) {
	type key struct {
		name     string
		articles int
	}
	sums := make([]map[key][2]float64, len(panels))
	for i := range sums {
		sums[i] = map[key][2]float64{}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 {
			continue
		}
		m := benchLine.FindStringSubmatch(f[0])
		if m == nil {
			continue
		}
		articles, _ := strconv.Atoi(m[2])
		askers, _ := strconv.Atoi(m[4])
		metrics := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: value %q: %w", f[0], f[i], err)
			}
			metrics[f[i+1]] = v
		}
		for i, p := range panels {
			if name, v, ok := p.pick(m[1], m[3], askers, metrics); ok {
				k := key{name, articles}
				s := sums[i][k]
				sums[i][k] = [2]float64{s[0] + v, s[1] + 1}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	out := make([][]series, len(panels))
	found := false
	for i := range panels {
		byName := map[string][]point{}
		for k, s := range sums[i] {
			byName[k.name] = append(byName[k.name], point{k.articles, s[0] / s[1]})
		}
		for _, name := range slices.Sorted(maps.Keys(byName)) {
			pts := byName[name]
			slices.SortFunc(pts, func(a, b point) int { return cmp.Compare(a.articles, b.articles) })
			out[i] = append(out[i], series{name, pts})
			found = true
		}
	}
	if !found {
		return nil, errors.New("no BenchmarkAsk, BenchmarkAskWarm or BenchmarkReopen results in the input")
	}
	return out, nil
}

// Layout of the SVG, in pixels.
const (
	panelW, panelH = 420, 300
	marginL        = 60
	marginT        = 40
	marginB        = 70
	gap            = 40
)

var colours = []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"}

// render draws the panels side by side.
func render(w io.Writer, data [][]series) error {
	width := len(panels)*(marginL+panelW) + (len(panels)-1)*gap + 20
	height := marginT + panelH + marginB
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	for i, p := range panels {
		x0 := i*(marginL+panelW+gap) + marginL
		drawPanel(&b, p, data[i], x0, marginT)
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func drawPanel(b *strings.Builder, p panel, ss []series, x0, y0 int) {
	minA, maxA, minV, maxV := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		for _, pt := range s.points {
			a, v := float64(max(pt.articles, 1)), math.Max(pt.value, 1e-6)
			minA, maxA = math.Min(minA, a), math.Max(maxA, a)
			minV, maxV = math.Min(minV, v), math.Max(maxV, v)
		}
	}
	if len(ss) == 0 {
		minA, maxA, minV, maxV = 1, 10, 1, 10
	}
	// Whole decades around the data.
	lo := func(v float64) float64 { return math.Floor(math.Log10(v)) }
	hi := func(v float64) float64 { return math.Max(math.Ceil(math.Log10(v)), lo(v)+1) }
	ax0, ax1, vy0, vy1 := lo(minA), hi(maxA), lo(minV), hi(maxV)
	px := func(a float64) float64 {
		return float64(x0) + (math.Log10(math.Max(a, 1))-ax0)/(ax1-ax0)*panelW
	}
	py := func(v float64) float64 {
		return float64(y0+panelH) - (math.Log10(math.Max(v, 1e-6))-vy0)/(vy1-vy0)*panelH
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" font-size="14" font-weight="bold">%s (%s, log scale)</text>`+"\n", x0, y0-15, html.EscapeString(p.title), p.unit)
	fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#888"/>`+"\n", x0, y0, panelW, panelH)
	for d := ax0; d <= ax1; d++ {
		x := px(math.Pow(10, d))
		fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>`+"\n", x, y0, x, y0+panelH)
		fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x, y0+panelH+16, decade(d))
	}
	for d := vy0; d <= vy1; d++ {
		y := py(math.Pow(10, d))
		fmt.Fprintf(b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>`+"\n", x0, y, x0+panelW, y)
		fmt.Fprintf(b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", x0-6, y+4, decade(d))
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle">articles</text>`+"\n", x0+panelW/2, y0+panelH+34)
	for i, s := range ss {
		c := colours[i%len(colours)]
		dash := ""
		if strings.Contains(s.name, "again") {
			dash = ` stroke-dasharray="5,4"`
		}
		var pts []string
		for _, pt := range s.points {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(float64(pt.articles)), py(pt.value)))
		}
		fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>`+"\n", strings.Join(pts, " "), c, dash)
		for _, pt := range s.points {
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s: %s %s at %d articles</title></circle>`+"\n",
				px(float64(pt.articles)), py(pt.value), c, html.EscapeString(s.name), strconv.FormatFloat(pt.value, 'g', 3, 64), p.unit, pt.articles)
		}
		ly := y0 + panelH + 52 + (i/2)*14
		lx := x0 + (i%2)*(panelW/2)
		fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/>`+"\n", lx, ly-4, lx+18, ly-4, c, dash)
		fmt.Fprintf(b, `<text x="%d" y="%d">%s</text>`+"\n", lx+22, ly, html.EscapeString(s.name))
	}
}

// decade labels 10^d.
func decade(d float64) string {
	v := math.Pow(10, d)
	switch {
	case d >= 6:
		return fmt.Sprintf("%gM", v/1e6)
	case d >= 3:
		return fmt.Sprintf("%gk", v/1e3)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// run reads benchmark output from r and writes the SVG to w.
func run(r io.Reader, w io.Writer) error {
	data, err := parse(r)
	if err != nil {
		return err
	}
	return render(w, data)
}
