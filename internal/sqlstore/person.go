package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

const personCols = `id, email, display_name, password_hash, home_municipality_id, locale,
	email_verified_at, totp_secret, totp_enabled_at, totp_last_step, disabled_at, created_at, updated_at`

func scanPerson(sc interface{ Scan(...any) error }) (identity.Person, error) {
	var p identity.Person
	var home sql.NullString
	var verified, totpOn, disabled sql.NullInt64
	var created, updated int64
	err := sc.Scan(&p.ID, &p.Email, &p.DisplayName, &p.PasswordHash, &home, &p.Locale,
		&verified, &p.TOTPSecret, &totpOn, &p.TOTPLastStep, &disabled, &created, &updated)
	if err != nil {
		return p, err
	}
	p.HomeMunicipalityID = home.String
	p.EmailVerifiedAt, p.TOTPEnabledAt, p.DisabledAt = fromNullMS(verified), fromNullMS(totpOn), fromNullMS(disabled)
	p.CreatedAt, p.UpdatedAt = fromMS(created), fromMS(updated)
	return p, nil
}

// CreatePerson inserts a person (without roles; see AddRole).
func (db *DB) CreatePerson(ctx context.Context, p *identity.Person) error {
	return db.exec(ctx, "sqlstore.CreatePerson", false, `INSERT INTO persons (`+personCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		p.ID, p.Email, p.DisplayName, p.PasswordHash, nullStr(p.HomeMunicipalityID), p.Locale,
		nullMS(p.EmailVerifiedAt), p.TOTPSecret, nullMS(p.TOTPEnabledAt), p.TOTPLastStep, nullMS(p.DisabledAt), ms(p.CreatedAt), ms(p.UpdatedAt))
}

// FindPersonByID returns a person with their roles.
func (db *DB) FindPersonByID(ctx context.Context, id string) (identity.Person, error) {
	return db.findPerson(ctx, "sqlstore.FindPersonByID", `id = $1`, id)
}

// FindPersonByEmail returns a person by normalised e-mail address.
func (db *DB) FindPersonByEmail(ctx context.Context, email string) (identity.Person, error) {
	return db.findPerson(ctx, "sqlstore.FindPersonByEmail", `email = $1`, email)
}

func (db *DB) findPerson(ctx context.Context, op, where string, arg any) (identity.Person, error) {
	p, err := scanPerson(db.r(ctx).QueryRowContext(ctx, `SELECT `+personCols+` FROM persons WHERE `+where, arg))
	if err != nil {
		return p, db.wrap(op, err)
	}
	roles, err := db.rolesOf(ctx, []string{p.ID})
	if err != nil {
		return p, db.wrap(op, err)
	}
	p.Roles = roles[p.ID]
	return p, nil
}

func (db *DB) rolesOf(ctx context.Context, personIDs []string) (map[string][]identity.RoleAssignment, error) {
	out := map[string][]identity.RoleAssignment{}
	if len(personIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(personIDs))
	ph := make([]string, len(personIDs))
	for i, id := range personIDs {
		args[i] = id
		ph[i] = placeholder(i + 1)
	}
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT id, person_id, role, organisation_id, municipality_id, created_at
		FROM role_assignments WHERE person_id IN (`+strings.Join(ph, ", ")+`) ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a identity.RoleAssignment
		var org, mun sql.NullString
		var created int64
		if err := rows.Scan(&a.ID, &a.PersonID, &a.Role, &org, &mun, &created); err != nil {
			return nil, err
		}
		a.OrganisationID, a.MunicipalityID, a.CreatedAt = org.String, mun.String, fromMS(created)
		out[a.PersonID] = append(out[a.PersonID], a)
	}
	return out, rows.Err()
}

// UpdatePerson writes every field of a person but its roles.
func (db *DB) UpdatePerson(ctx context.Context, p identity.Person) error {
	return db.exec(ctx, "sqlstore.UpdatePerson", true, `UPDATE persons SET email = $2, display_name = $3,
		password_hash = $4, home_municipality_id = $5, locale = $6, email_verified_at = $7, totp_secret = $8,
		totp_enabled_at = $9, totp_last_step = $10, disabled_at = $11, updated_at = $12 WHERE id = $1`,
		p.ID, p.Email, p.DisplayName, p.PasswordHash, nullStr(p.HomeMunicipalityID), p.Locale,
		nullMS(p.EmailVerifiedAt), p.TOTPSecret, nullMS(p.TOTPEnabledAt), p.TOTPLastStep, nullMS(p.DisabledAt), ms(p.UpdatedAt))
}

// FindPersons lists persons by filter, by name.
func (db *DB) FindPersons(ctx context.Context, f identity.PersonFilter) ([]identity.Person, error) {
	const op = "sqlstore.FindPersons"
	var where []string
	var args []any
	if f.MunicipalityID != "" || f.StaffOnly {
		cond := `EXISTS (SELECT 1 FROM role_assignments r WHERE r.person_id = persons.id`
		if f.MunicipalityID != "" {
			args = append(args, f.MunicipalityID)
			cond += ` AND r.municipality_id = ` + placeholder(len(args))
		}
		if f.StaffOnly {
			cond += ` AND r.role NOT IN ('citizen', 'delegate')`
		}
		where = append(where, cond+`)`)
	}
	q := `SELECT ` + personCols + ` FROM persons`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	args = append(args, limit)
	q += ` ORDER BY display_name, id LIMIT ` + placeholder(len(args))
	rows, err := db.r(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []identity.Person
	var ids []string
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, p)
		ids = append(ids, p.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, db.wrap(op, err)
	}
	roles, err := db.rolesOf(ctx, ids)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	for i := range list {
		list[i].Roles = roles[list[i].ID]
	}
	return list, nil
}

// AddRole gives a person a role.
func (db *DB) AddRole(ctx context.Context, a *identity.RoleAssignment) error {
	return db.exec(ctx, "sqlstore.AddRole", false, `INSERT INTO role_assignments
		(id, person_id, role, organisation_id, municipality_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		a.ID, a.PersonID, string(a.Role), nullStr(a.OrganisationID), nullStr(a.MunicipalityID), ms(a.CreatedAt))
}

// DeleteRole removes a role assignment.
func (db *DB) DeleteRole(ctx context.Context, id string) error {
	return db.exec(ctx, "sqlstore.DeleteRole", true, `DELETE FROM role_assignments WHERE id = $1`, id)
}
