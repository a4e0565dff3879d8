package market

import (
	_ "embed"
	"strconv"
	"strings"
)

// Point is a place on earth in WGS84 degrees.
type Point struct{ Lat, Lon float64 }

//go:embed postcodes.csv
var postcodeData string

// postcodeCentres maps a four-digit postcode to an approximate centre.
// Coverage is Woerden, Oudewater and the places around them (see
// postcodes.csv); elsewhere the index falls back to the average of the
// offerings' own coordinates in that postcode area.
var postcodeCentres = loadPostcodes(postcodeData)

func loadPostcodes(data string) map[int]Point {
	m := map[int]Point{}
	for _, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, ",")
		from, err1 := strconv.Atoi(f[0])
		to, err2 := strconv.Atoi(f[1])
		lat, err3 := strconv.ParseFloat(f[2], 64)
		lon, err4 := strconv.ParseFloat(f[3], 64)
		if len(f) != 5 || err1 != nil || err2 != nil || err3 != nil || err4 != nil {
			panic("market: bad line in postcodes.csv: " + line)
		}
		for pc := from; pc <= to; pc++ {
			m[pc] = Point{lat, lon}
		}
	}
	return m
}

// PC4 returns the four digits of a Dutch postcode ("3441 AB", "3441ab" or
// "3441"), or 0 when s is none.
func PC4(s string) int {
	s = strings.TrimSpace(s)
	if len(s) < 4 {
		return 0
	}
	n, err := strconv.Atoi(s[:4])
	if err != nil || n < 1000 {
		return 0
	}
	rest := strings.ToUpper(strings.TrimSpace(s[4:]))
	if rest != "" && (len(rest) != 2 || strings.Trim(rest, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "") {
		return 0
	}
	return n
}
