package sqlstore

import (
	"context"
	"database/sql"

	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

const municipalityCols = `id, slug, name, host, theme, created_at`

func scanMunicipality(sc interface{ Scan(...any) error }) (tenant.Municipality, error) {
	var m tenant.Municipality
	var host sql.NullString
	var created int64
	err := sc.Scan(&m.ID, &m.Slug, &m.Name, &host, &m.Theme, &created)
	m.Host, m.CreatedAt = host.String, fromMS(created)
	return m, err
}

// CreateMunicipality inserts a municipality.
func (db *DB) CreateMunicipality(ctx context.Context, m *tenant.Municipality) error {
	return db.exec(ctx, "sqlstore.CreateMunicipality", false, `INSERT INTO municipalities (`+municipalityCols+`)
		VALUES ($1, $2, $3, $4, $5, $6)`, m.ID, m.Slug, m.Name, nullStr(m.Host), m.Theme, ms(m.CreatedAt))
}

// FindMunicipalities lists all municipalities by name.
func (db *DB) FindMunicipalities(ctx context.Context) ([]tenant.Municipality, error) {
	const op = "sqlstore.FindMunicipalities"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+municipalityCols+` FROM municipalities ORDER BY name, id`)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []tenant.Municipality
	for rows.Next() {
		m, err := scanMunicipality(rows)
		if err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, m)
	}
	return list, db.wrap(op, rows.Err())
}

// FindMunicipalityByID returns one municipality.
func (db *DB) FindMunicipalityByID(ctx context.Context, id string) (tenant.Municipality, error) {
	m, err := scanMunicipality(db.r(ctx).QueryRowContext(ctx, `SELECT `+municipalityCols+` FROM municipalities WHERE id = $1`, id))
	return m, db.wrap("sqlstore.FindMunicipalityByID", err)
}

// FindMunicipalityBySlug returns one municipality by slug.
func (db *DB) FindMunicipalityBySlug(ctx context.Context, slug string) (tenant.Municipality, error) {
	m, err := scanMunicipality(db.r(ctx).QueryRowContext(ctx, `SELECT `+municipalityCols+` FROM municipalities WHERE slug = $1`, slug))
	return m, db.wrap("sqlstore.FindMunicipalityBySlug", err)
}

// CreateOrganisation inserts an organisation and the municipalities it works in.
func (db *DB) CreateOrganisation(ctx context.Context, o *tenant.Organisation) error {
	const op = "sqlstore.CreateOrganisation"
	return db.InTx(ctx, func(ctx context.Context) error {
		if err := db.exec(ctx, op, false, `INSERT INTO organisations (id, name, kind, kvk, created_at) VALUES ($1, $2, $3, $4, $5)`,
			o.ID, o.Name, string(o.Kind), o.KvK, ms(o.CreatedAt)); err != nil {
			return err
		}
		for _, m := range o.MunicipalityIDs {
			if err := db.exec(ctx, op, false, `INSERT INTO organisation_municipalities (organisation_id, municipality_id)
				VALUES ($1, $2)`, o.ID, m); err != nil {
				return err
			}
		}
		return nil
	})
}

// FindOrganisations lists the organisations working in a municipality, by name.
func (db *DB) FindOrganisations(ctx context.Context, municipalityID string) ([]tenant.Organisation, error) {
	const op = "sqlstore.FindOrganisations"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT o.id FROM organisations o
		JOIN organisation_municipalities om ON om.organisation_id = o.id
		WHERE om.municipality_id = $1 ORDER BY o.name, o.id`, municipalityID)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, db.wrap(op, err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.wrap(op, err)
	}
	list := make([]tenant.Organisation, 0, len(ids))
	for _, id := range ids {
		o, err := db.FindOrganisationByID(ctx, id)
		if err != nil {
			return nil, err
		}
		list = append(list, o)
	}
	return list, nil
}

// FindOrganisationByID returns one organisation with its municipalities.
func (db *DB) FindOrganisationByID(ctx context.Context, id string) (tenant.Organisation, error) {
	const op = "sqlstore.FindOrganisationByID"
	var o tenant.Organisation
	var created int64
	err := db.r(ctx).QueryRowContext(ctx, `SELECT id, name, kind, kvk, created_at FROM organisations WHERE id = $1`, id).
		Scan(&o.ID, &o.Name, &o.Kind, &o.KvK, &created)
	if err != nil {
		return o, db.wrap(op, err)
	}
	o.CreatedAt = fromMS(created)
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT municipality_id FROM organisation_municipalities
		WHERE organisation_id = $1 ORDER BY municipality_id`, id)
	if err != nil {
		return o, db.wrap(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return o, db.wrap(op, err)
		}
		o.MunicipalityIDs = append(o.MunicipalityIDs, m)
	}
	return o, db.wrap(op, rows.Err())
}

var _ tenant.Store = (*DB)(nil)
