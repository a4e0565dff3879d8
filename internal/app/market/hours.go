package market

import (
	"fmt"
	"slices"
	"time"
	_ "time/tzdata" // Europe/Amsterdam must resolve on a machine without a zone database
)

// Period is one opening period on one weekday, in local time
// (Europe/Amsterdam): from Opens up to (not including) Closes, in minutes
// after midnight. A period that runs past midnight is two periods.
type Period struct {
	Day    time.Weekday `json:"day"`
	Opens  int          `json:"opens"`
	Closes int          `json:"closes"`
}

// OpeningHours are a location's weekly opening periods (HSDS schedule with
// byday, opens_at and closes_at). No periods means unknown or by
// appointment; such a location is never "open now".
type OpeningHours []Period

// Amsterdam is the time zone opening hours are written in.
var Amsterdam = mustLoad("Europe/Amsterdam")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func (h OpeningHours) valid() bool {
	for _, p := range h {
		if p.Day < time.Sunday || p.Day > time.Saturday || p.Opens < 0 || p.Closes > 24*60 || p.Opens >= p.Closes {
			return false
		}
	}
	return true
}

func (h *OpeningHours) normalize() {
	slices.SortFunc(*h, func(a, b Period) int {
		// Monday first, as a Dutch week is read.
		da, db := (int(a.Day)+6)%7, (int(b.Day)+6)%7
		if da != db {
			return da - db
		}
		return a.Opens - b.Opens
	})
}

// OpenAt reports whether t falls in one of the periods, read in
// Europe/Amsterdam time.
func (h OpeningHours) OpenAt(t time.Time) bool {
	local := t.In(Amsterdam)
	day, minute := local.Weekday(), local.Hour()*60+local.Minute()
	for _, p := range h {
		if p.Day == day && minute >= p.Opens && minute < p.Closes {
			return true
		}
	}
	return false
}

// String writes the period as "ma 09:00-17:00".
func (p Period) String() string {
	return fmt.Sprintf("%s %02d:%02d-%02d:%02d", dayAbbr[p.Day], p.Opens/60, p.Opens%60, p.Closes/60, p.Closes%60)
}

var dayAbbr = [7]string{"zo", "ma", "di", "wo", "do", "vr", "za"}

// Weekdays returns periods on Monday to Friday from opens to closes (in
// minutes after midnight).
func Weekdays(opens, closes int) OpeningHours {
	var h OpeningHours
	for d := time.Monday; d <= time.Friday; d++ {
		h = append(h, Period{Day: d, Opens: opens, Closes: closes})
	}
	return h
}
