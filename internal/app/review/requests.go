package review

import (
	"context"

	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// Requests is what reviews need of the requests app (*request.Service).
type Requests interface {
	Delivered(ctx context.Context, requestID string) (request.Request, error)
}

// FromRequests turns the requests app into the Deliveries reviews check.
// requests is called only when a delivery is asked for, so it may return
// a service built after this one (the marketplace needs the reviews, the
// requests need the marketplace); nil means there are no requests.
func FromRequests(requests func() Requests) Deliveries {
	return DeliveriesFunc(func(ctx context.Context, requestID string) (Delivery, error) {
		rs := requests()
		if rs == nil {
			return Delivery{}, errs.E("review.FromRequests", errs.NotFound, errs.Key("error.not_found"))
		}
		r, err := rs.Delivered(ctx, requestID)
		if err != nil {
			return Delivery{}, err
		}
		d := Delivery{RequestID: r.ID, OfferingID: r.OfferingID, ProviderOrgID: r.ProviderOrgID, ResidentID: r.ResidentID}
		if r.DeliveredAt != nil {
			d.DeliveredAt = *r.DeliveredAt
		}
		return d, nil
	})
}
