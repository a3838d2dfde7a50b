package testnet

import (
	"bytes"
	"fmt"
	"math"
)

// lagSVG plots each lag sample as a dot, time of the write on x and lag on y, coloured by
// kind (enrollment or purchase), as a standalone SVG.
func lagSVG(samples []LagSample) []byte {
	const width, height, left, bottom, top, right = 800.0, 420.0, 60.0, 40.0, 30.0, 20.0
	maxT, maxLag := 1.0, 1.0
	for _, s := range samples {
		maxT = max(maxT, s.AtMS/1000)
		maxLag = max(maxLag, s.MS)
	}
	maxLag = niceCeil(maxLag)
	x := func(t float64) float64 { return left + t/maxT*(width-left-right) }
	y := func(v float64) float64 { return height - bottom - v/maxLag*(height-bottom-top) }

	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" `+
		`font-family="sans-serif" font-size="11">`+"\n", width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="18" font-size="13">Replication lag per node `+
		`(ms) over the run (s): blue enrollments, orange purchases</text>`+"\n", left)
	for i := 0; i <= 5; i++ {
		v := maxLag * float64(i) / 5
		fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="#ddd"/>`+
			`<text x="%.0f" y="%.1f" text-anchor="end">%.0f</text>`+"\n",
			left, width-right, y(v), y(v), left-6, y(v)+4, v)
		t := maxT * float64(i) / 5
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" text-anchor="middle">%.0f</text>`+"\n",
			x(t), height-bottom+16, t)
	}
	fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.0f" y2="%.0f" stroke="black"/>`+"\n",
		left, width-right, height-bottom, height-bottom)
	fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.0f" y2="%.0f" stroke="black"/>`+"\n",
		left, left, top, height-bottom)
	for _, s := range samples {
		colour := "#1f77b4"
		if s.Kind == "purchase" {
			colour = "#ff7f0e"
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s" fill-opacity="0.6">`+
			`<title>%s %s→%s %s %.0f ms</title></circle>`+"\n", x(s.AtMS/1000), y(s.MS), colour,
			s.Kind, s.From, s.To, s.Node, s.MS)
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}
