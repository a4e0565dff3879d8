package market

// Rating summarises the reviews of an offering.
type Rating struct {
	Count   int     // reviews that count (younger than four years, published)
	Average float64 // mean overall score, 1–5
}

// RatingSummary gives the rating of offerings: the review app's
// review.Service, which counts the published reviews younger than four
// years; without one (Options.Ratings nil) offerings have no rating. It is
// called for every match of a search sorted by rating, so it must answer
// from memory.
type RatingSummary interface {
	RatingOf(offeringID string) Rating
}

// Ranking by rating uses a Bayesian average: the mean of the offering's
// scores together with RatingPriorWeight imaginary reviews of
// RatingPriorMean. One 5-star review scores (5·3+5)/6 = 3.33, fifty
// reviews averaging 4.5 score (5·3+50·4.5)/55 = 4.36, so a single
// enthusiast cannot put an offering above a well-reviewed one, and an
// offering without reviews sits in the middle (3.0), not at the bottom.
// (A Wilson lower bound fits yes/no votes; scores of 1–5 fit this better.)
const (
	RatingPriorWeight = 5.0
	RatingPriorMean   = 3.0
)

// Score returns the Bayesian average of r.
func (r Rating) Score() float64 {
	n := float64(r.Count)
	return (RatingPriorWeight*RatingPriorMean + n*r.Average) / (RatingPriorWeight + n)
}

type noRatings struct{}

func (noRatings) RatingOf(string) Rating { return Rating{} }
