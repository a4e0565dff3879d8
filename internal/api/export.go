package api

import (
	"context"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/app/rights"
)

type exportOutput struct {
	Body rights.Bundle
}

var exportDoc = huma.Operation{
	OperationID: "getExport",
	Summary:     "Al je gegevens downloaden",
	Description: "Geeft alles wat Inwonercloud over jou bewaart: je account, sessies en tokens (zonder geheimen), elke versie van je verhaal met reacties, je toestemmingen en machtigingen, je aanvragen en beoordelingen op de Marktplaats, en je hele toegangslogboek. schemaVersion zegt welke opbouw het heeft.",
	Tags:        []string{"Export"},
}

func (s *server) handleExport(ctx context.Context, _ *struct{}) (*exportOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.rights == nil {
		return nil, unavailable("api.handleExport")
	}
	b, err := s.rights.Export(ctx, a.Person, a.Person.ID)
	if err != nil {
		return nil, err
	}
	return &exportOutput{Body: b}, nil
}
