package market

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The exchange writes opening hours as HSDS schedule rows: weekly, the
// days as iCalendar BYDAY codes (MO,TU,...), and local (Europe/Amsterdam)
// opening and closing times as HH:MM. In CSV a location's rows are
// written "MO,TU,WE,TH,FR 09:00-17:00; SA 10:00-12:00".

var bydayCodes = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// schedule is one HSDS schedule row.
type schedule struct {
	ByDay    string
	OpensAt  string
	ClosesAt string
}

// scheduleRows groups opening hours into rows of days with the same times,
// Monday first.
func scheduleRows(h OpeningHours) []schedule {
	var out []schedule
	h = append(OpeningHours(nil), h...)
	h.normalize()
	for _, p := range h {
		opens, closes := clockTime(p.Opens), clockTime(p.Closes)
		found := false
		for i := range out {
			if out[i].OpensAt == opens && out[i].ClosesAt == closes {
				out[i].ByDay += "," + bydayCodes[p.Day]
				found = true
				break
			}
		}
		if !found {
			out = append(out, schedule{ByDay: bydayCodes[p.Day], OpensAt: opens, ClosesAt: closes})
		}
	}
	return out
}

func clockTime(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// periods turns one schedule row into opening periods; ok is false when
// the row cannot be read (the caller reports it).
func (s schedule) periods() (OpeningHours, bool) {
	opens, ok1 := parseClock(s.OpensAt)
	closes, ok2 := parseClock(s.ClosesAt)
	if !ok1 || !ok2 || strings.TrimSpace(s.ByDay) == "" {
		return nil, false
	}
	var h OpeningHours
	for _, code := range strings.Split(s.ByDay, ",") {
		code = strings.ToUpper(strings.TrimSpace(code))
		day := -1
		for d, c := range bydayCodes {
			if c == code {
				day = d
			}
		}
		if day < 0 {
			return nil, false
		}
		h = append(h, Period{Day: time.Weekday(day), Opens: opens, Closes: closes})
	}
	return h, true
}

// parseClock reads "HH:MM" or "HH:MM:SS" (local time) as minutes after
// midnight; 24:00 is the end of the day.
func parseClock(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 8 && strings.HasSuffix(s, ":00") {
		s = s[:5]
	}
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

// formatSchedules writes a location's hours for CSV.
func formatSchedules(h OpeningHours) string {
	var parts []string
	for _, s := range scheduleRows(h) {
		parts = append(parts, s.ByDay+" "+s.OpensAt+"-"+s.ClosesAt)
	}
	return strings.Join(parts, "; ")
}

// parseSchedules reads a location's hours from CSV.
func parseSchedules(v string) (OpeningHours, bool) {
	var h OpeningHours
	for _, part := range strings.Split(v, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		days, times, ok := strings.Cut(part, " ")
		opens, closes, ok2 := strings.Cut(strings.TrimSpace(times), "-")
		if !ok || !ok2 {
			return nil, false
		}
		p, ok := schedule{ByDay: days, OpensAt: opens, ClosesAt: closes}.periods()
		if !ok {
			return nil, false
		}
		h = append(h, p...)
	}
	return h, true
}

// formatAmount writes cents as euros with two decimals and a point: "12.50".
func formatAmount(cents int64) string {
	return fmt.Sprintf("%d.%02d", cents/100, cents%100)
}

// parseAmount reads euros ("12", "12.5", "12,50") as cents, exactly.
func parseAmount(s string) (int64, bool) {
	s = strings.TrimSpace(strings.Replace(s, ",", ".", 1))
	if s == "" {
		return 0, true
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return 0, false
	}
	if len(whole) > 9 {
		return 0, false
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	return w*100 + f, true
}

// wheelchairWord reads yes/no in Dutch or English; ok is false otherwise.
func wheelchairWord(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "ja", "yes", "true", "1":
		return true, true
	case "nee", "no", "false", "0", "":
		return false, true
	}
	return false, false
}
