package web

// budgetChart is the drawing of a budget's months: per month a bar of what
// was spent and one of what was left at its end. It only repeats the table
// beside it (the table is what screen readers and keyboard users read),
// so the page marks it aria-hidden; it is an SVG with plain attributes,
// as the content security policy allows no inline styles.
type budgetChart struct {
	Width, Height int
	Bars          []chartBar
	Baseline      int // the y of the axis
	LabelY        int // the y of the month names
}

// chartBar is one bar of the chart.
type chartBar struct {
	X, Y, W, H int
	Class      string // "spent" or "left"
	Label      string // the month under a pair of bars ("" for the second)
	LabelX     int
}

const (
	chartBarW   = 18
	chartGap    = 4
	chartPairW  = 2*chartBarW + chartGap + 24
	chartTop    = 8
	chartHeight = 160
)

// newBudgetChart scales the months to the highest amount.
func newBudgetChart(months []monthRow) budgetChart {
	// At least room for twelve months, so that a short budget does not
	// blow a single bar up to the page's width.
	c := budgetChart{Width: max(len(months), 12)*chartPairW + 16, Height: chartHeight + 40, Baseline: chartTop + chartHeight, LabelY: chartTop + chartHeight + 20}
	var top int64
	for _, m := range months {
		top = max(top, int64(m.Spent), int64(m.Available))
	}
	if top <= 0 {
		top = 1
	}
	height := func(v int64) int {
		if v <= 0 {
			return 0
		}
		return max(int(v*chartHeight/top), 1)
	}
	for i, m := range months {
		x := 8 + i*chartPairW
		hs, hl := height(int64(m.Spent)), height(int64(m.Available))
		c.Bars = append(c.Bars,
			chartBar{X: x, Y: c.Baseline - hs, W: chartBarW, H: hs, Class: "spent", Label: shortMonth(m.Label), LabelX: x + chartBarW},
			chartBar{X: x + chartBarW + chartGap, Y: c.Baseline - hl, W: chartBarW, H: hl, Class: "left"})
	}
	return c
}

// shortMonth is the first three letters of a month's name and its year's
// last two digits: "nov 26".
func shortMonth(label string) string {
	r := []rune(label)
	if len(r) < 7 {
		return label
	}
	return string(r[:3]) + " " + string(r[len(r)-2:])
}
