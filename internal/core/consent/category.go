package consent

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// CategoryConsent is the built-in category of the consent records
// themselves: a resident's grants. A mandate's scope may hold it ("may
// manage my consents"); a grant never does, so no grantee can ever manage
// the consents that let them in.
const CategoryConsent = "consent"

// CommentSuffix ends the category of the comments on a category: the
// comments on "story:finances" are "story:finances:comment". Comment
// categories exist for every registered category and are never registered
// themselves (see Permission).
const CommentSuffix = ":comment"

// segmentRE is one part of a category name.
var segmentRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Categories is a registry of data categories. A category is an open
// string of parts joined by ":"; its parent is the name without the last
// part ("story" is the parent of "story:finances"), and a grant, mandate
// or legal task for a category covers all categories below it. Apps
// register their categories at start-up; grants and mandates may name
// only registered ones. It is safe for concurrent use.
type Categories struct {
	mu      sync.RWMutex
	parents map[string]string
	roles   map[string][]identity.Role // extra grantee roles per category (RegisterGranteeRole)
}

// NewCategories returns a registry that holds only CategoryConsent.
func NewCategories() *Categories {
	return &Categories{parents: map[string]string{CategoryConsent: ""}}
}

// DefaultCategories is the registry that RegisterCategory fills and that a
// Service uses unless Options name another.
var DefaultCategories = NewCategories()

// RegisterCategory registers a category in DefaultCategories, for an
// app's start-up code. It panics on a bad name, as the name is a constant
// of the app.
func RegisterCategory(name, parent string) {
	if err := DefaultCategories.Register(name, parent); err != nil {
		panic(err)
	}
}

// Register adds a category. name is parent + ":" + a part, or a single
// part when parent is ""; a part is 1 to 40 lower-case letters, digits or
// underscores, starting with a letter, and is not "comment" (reserved for
// comment categories). The parent must be registered already, and nothing
// goes below CategoryConsent. Registering the same category again is a
// no-op.
func (c *Categories) Register(name, parent string) error {
	const op = "consent.Categories.Register"
	bad := func(why string) error { return errs.E(op, errs.Invalid, fmt.Errorf("category %q: %s", name, why)) }
	parts := strings.Split(name, ":")
	for _, p := range parts {
		if !segmentRE.MatchString(p) {
			return bad("each part must be 1 to 40 of a-z, 0-9 and _, starting with a letter")
		}
	}
	if parts[len(parts)-1] == strings.TrimPrefix(CommentSuffix, ":") {
		return bad("the part \"comment\" is reserved")
	}
	if want := strings.Join(parts[:len(parts)-1], ":"); parent != want {
		return bad(fmt.Sprintf("its parent is %q, not %q", want, parent))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.parents[name]; ok {
		return nil
	}
	if parent != "" {
		if _, ok := c.parents[parent]; !ok {
			return bad("register its parent first")
		}
		if parent == CategoryConsent || strings.HasPrefix(parent, CategoryConsent+":") {
			return bad("nothing goes below " + CategoryConsent)
		}
	}
	c.parents[name] = parent
	return nil
}

// RegisterGranteeRole lets role, besides GranteeRoles, use grants to an
// organisation for category (and the categories below it) in
// DefaultCategories, for an app's start-up code. It panics on a bad
// argument, as both are constants of the app.
func RegisterGranteeRole(category string, role identity.Role) {
	if err := DefaultCategories.AddGranteeRole(category, role); err != nil {
		panic(err)
	}
}

// AddGranteeRole lets role use grants to an organisation in which it is
// held, for category and the categories below it only: the request app
// lets a provider's admins read the requests residents share with their
// organisation, while grants of other categories (a story) still reach
// only professionals and consultants. category must be registered and
// grantable; role must be a staff role other than platform_admin.
func (c *Categories) AddGranteeRole(category string, role identity.Role) error {
	const op = "consent.Categories.AddGranteeRole"
	if !c.Grantable(category) {
		return errs.E(op, errs.Invalid, fmt.Errorf("category %q is not registered or not grantable", category))
	}
	if !role.Staff() || role == identity.RolePlatformAdmin {
		return errs.E(op, errs.Invalid, fmt.Errorf("role %q cannot be a grantee role", role))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.roles == nil {
		c.roles = map[string][]identity.Role{}
	}
	if !slices.Contains(c.roles[category], role) {
		c.roles[category] = append(c.roles[category], role)
	}
	return nil
}

// granteeRole reports whether role reaches grants to its organisation for
// the requested category: one of GranteeRoles always, another role only
// where AddGranteeRole registered it for a category covering requested.
func (c *Categories) granteeRole(role identity.Role, requested string) bool {
	if slices.Contains(GranteeRoles, role) {
		return true
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	for cat, roles := range c.roles {
		if Covers(cat, requested) && slices.Contains(roles, role) {
			return true
		}
	}
	return false
}

// Known reports whether name is registered.
func (c *Categories) Known(name string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.parents[name]
	return ok
}

// Grantable reports whether a grant may name the category: it is
// registered and is not CategoryConsent.
func (c *Categories) Grantable(name string) bool {
	return name != CategoryConsent && c.Known(name)
}

// Names lists the registered categories in sorted order.
func (c *Categories) Names() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]string, 0, len(c.parents))
	for n := range c.parents {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// cutComment splits a comment category into the category commented on.
func cutComment(name string) (base string, comment bool) {
	return strings.CutSuffix(name, CommentSuffix)
}

// requestable reports whether a request may name the category: a
// registered one, or the comment category of a registered one other than
// CategoryConsent.
func (c *Categories) requestable(name string) bool {
	if base, ok := cutComment(name); ok {
		return c.Grantable(base)
	}
	return c.Known(name)
}

// Covers reports whether a grant, mandate or legal task for category
// granted covers category requested: the same category or one below it.
// "story" covers "story:finances" and "story:finances:comment";
// "story:finances" covers neither "story" nor "story:housing".
func Covers(granted, requested string) bool {
	return granted != "" && (requested == granted || strings.HasPrefix(requested, granted+":"))
}

// coversAny reports whether one of granted covers requested.
func coversAny(granted []string, requested string) bool {
	return slices.ContainsFunc(granted, func(g string) bool { return Covers(g, requested) })
}

// normalizeCategories sorts the categories, drops duplicates and drops
// those that another one in the list already covers.
func normalizeCategories(in []string) []string {
	list := slices.Clone(in)
	for i := range list {
		list[i] = strings.TrimSpace(list[i])
	}
	slices.Sort(list)
	list = slices.Compact(list)
	out := list[:0]
	for _, c := range list {
		// Sorted order puts "story" before "story:finances", so a covering
		// category is always kept before the ones it covers.
		if !coversAny(out, c) {
			out = append(out, c)
		}
	}
	return out
}
