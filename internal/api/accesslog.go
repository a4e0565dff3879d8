package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/app/rights"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// AccessLog is one page of the caller's access log.
type AccessLog struct {
	Records []rights.AccessEntry `json:"records" nullable:"false" doc:"Wie jouw gegevens bekeek of veranderde, het nieuwste eerst."`
	Total   int                  `json:"total" doc:"Hoeveel regels er in de gekozen periode zijn." example:"42"`
	Page    int                  `json:"page" doc:"Deze pagina." example:"1"`
}

type accessLogInput struct {
	From     time.Time `query:"from" doc:"Vanaf dit moment (UTC, RFC 3339); leeg is vanaf het begin." example:"2025-01-01T00:00:00Z"`
	To       time.Time `query:"to" doc:"Tot dit moment (UTC, RFC 3339, niet meer meegeteld); leeg is tot nu." example:"2025-07-01T00:00:00Z"`
	Page     int       `query:"page" minimum:"1" maximum:"100000" default:"1" doc:"De pagina, vanaf 1." example:"1"`
	PageSize int       `query:"pageSize" minimum:"1" maximum:"500" default:"50" doc:"Regels per pagina." example:"50"`
}

type accessLogOutput struct{ Body AccessLog }

var accessLogDoc = huma.Operation{
	OperationID: "listAccessLog",
	Summary:     "Je toegangslogboek bekijken",
	Description: "Geeft wie jouw gegevens heeft bekeken, veranderd of gedeeld, wanneer, in welke rol, op welke grond en of het mocht, het nieuwste eerst. Alleen je eigen logboek.",
	Tags:        []string{"Toegangslogboek"},
	Errors:      []int{http.StatusBadRequest},
}

func (s *server) handleAccessLog(ctx context.Context, in *accessLogInput) (*accessLogOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.audit == nil {
		return nil, unavailable("api.handleAccessLog")
	}
	if !in.From.IsZero() && !in.To.IsZero() && in.To.Before(in.From) {
		return nil, errs.E("api.handleAccessLog", errs.Invalid, errs.Fields{"to": "field.invalid"})
	}
	list, total, err := s.audit.ForSubject(ctx, a.Person.ID, in.From, in.To, in.PageSize, (in.Page-1)*in.PageSize)
	if err != nil {
		return nil, err
	}
	out := &accessLogOutput{Body: AccessLog{Records: make([]rights.AccessEntry, 0, len(list)), Total: total, Page: in.Page}}
	for _, r := range list {
		out.Body.Records = append(out.Body.Records, rights.AccessOf(r))
	}
	return out, nil
}
