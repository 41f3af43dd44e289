// Package auth holds the deployment's users, their argon2id-hashed passwords
// and the opaque bearer tokens (login sessions and API tokens) they
// authenticate with.
package auth

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/tenancy"
	"github.com/balaidesa/balai/sdk/input"
)

// User is an account of the deployment. Users are global; what they may do
// in which tenant comes from their grants (package rbac).
type User struct {
	ID           uint   `gorm:"primaryKey" json:"-"`
	Username     string `gorm:"size:64;uniqueIndex;not null" json:"username"`
	FullName     string `gorm:"size:200;not null" json:"full_name"`
	PasswordHash string `gorm:"size:200;not null" json:"-"`
	Disabled     bool   `gorm:"not null;default:false" json:"disabled"`
	CreatedBy    string `gorm:"size:64" json:"-"`
	// HomeTenant is the tenant whose admins own the account (may reset its
	// password, disable it, rename it): the tenant it was created in. ""
	// means the superadmins own it: users made by a superadmin without a
	// tenant, by the CLI, and every user made before homes were recorded.
	// Granting the user roles elsewhere never moves it.
	HomeTenant string    `gorm:"size:13" json:"home_tenant,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"-"`
}

// userMigrations record each user's home tenant. Existing users get none,
// so they belong to the superadmins: who created them can no longer be
// tied to a tenant with certainty, and the safe owner is the top.
func userMigrations() []*store.Migration {
	return []*store.Migration{{
		ID: "202611300700_users_home_tenant",
		Migrate: func(tx *gorm.DB) error {
			return tx.Exec("ALTER TABLE users ADD COLUMN home_tenant VARCHAR(13)").Error
		},
	}}
}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

const maxPasswordLen = 256

// hashParams follow OWASP's argon2id recommendation (19 MiB, 2 passes, 1
// lane): strong enough for passwords, light enough that a burst of logins on
// a 2-core server does not exhaust memory.
var hashParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

// CheckUsername validates a username: 3 to 64 lower-case letters, digits,
// dots, dashes or underscores.
func CheckUsername(name string) error {
	if !usernameRE.MatchString(name) {
		return apierr.Invalid("invalid_username", "username %q must be 3 to 64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

// MaxFullNameLen is the longest full name, in characters.
const MaxFullNameLen = 200

// CheckFullName validates a (trimmed) full name: at most MaxFullNameLen
// characters (runes: "é" is one), one line, no control or invisible
// formatting characters such as bidirectional overrides, which would make
// the name in the console and the audit trail read as another. Empty is
// allowed. Errors are 422 invalid_full_name.
func CheckFullName(name string) error {
	if err := input.Name(name, MaxFullNameLen); err != nil {
		return apierr.Invalid("invalid_full_name", "the full name %v", err)
	}
	return nil
}

// CheckPassword refuses passwords that are too weak to protect personal data.
func CheckPassword(username, password string) error {
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLen {
		return apierr.Invalid("weak_password", "the password must have at least %d characters", MinPasswordLen)
	}
	if n > maxPasswordLen {
		return apierr.Invalid("weak_password", "the password must have at most %d characters", maxPasswordLen)
	}
	if strings.EqualFold(password, username) {
		return apierr.Invalid("weak_password", "the password must not be the username")
	}
	return nil
}

// HashPassword returns the argon2id PHC string for password.
func HashPassword(password string) (string, error) {
	return argon2id.CreateHash(password, hashParams)
}

// dummyHash is compared against when a login names an unknown user, so that
// the response time does not reveal which usernames exist.
var dummyHash, _ = HashPassword("not-a-real-password-for-timing")

// NewUser describes a user to create.
type NewUser struct {
	Username string `json:"username"`
	Password string `json:"password"`
	FullName string `json:"full_name"`
	// Tenant is the home tenant asked for (see User.HomeTenant); the
	// caller decides and checks it.
	Tenant    string `json:"tenant,omitempty"`
	CreatedBy string `json:"-"`
}

// CreateUser validates and stores a new user.
func CreateUser(db *gorm.DB, nu NewUser) (*User, error) {
	nu.Username = strings.TrimSpace(nu.Username)
	if err := CheckUsername(nu.Username); err != nil {
		return nil, err
	}
	if err := CheckPassword(nu.Username, nu.Password); err != nil {
		return nil, err
	}
	nu.FullName = strings.TrimSpace(nu.FullName)
	if err := CheckFullName(nu.FullName); err != nil {
		return nil, err
	}
	hash, err := HashPassword(nu.Password)
	if err != nil {
		return nil, fmt.Errorf("hashing password: %w", err)
	}
	u := &User{Username: nu.Username, FullName: nu.FullName, PasswordHash: hash, CreatedBy: nu.CreatedBy, HomeTenant: nu.Tenant}
	if err := db.Create(u).Error; err != nil {
		if store.IsUniqueViolation(err) {
			return nil, apierr.Conflict("duplicate_username", "a user named %s already exists", nu.Username)
		}
		return nil, fmt.Errorf("creating user %s: %w", nu.Username, err)
	}
	return u, nil
}

// GetUser returns one user by name.
func GetUser(db *gorm.DB, username string) (*User, error) {
	var u User
	err := db.Where("username = ?", username).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apierr.NotFound("user_not_found", "user %s does not exist", username)
	}
	if err != nil {
		return nil, fmt.Errorf("reading user %s: %w", username, err)
	}
	return &u, nil
}

// UserFilter narrows a user listing.
type UserFilter struct {
	Query string
	// Usernames, when not nil, limits the listing to these users and to
	// those whose home tenant lies in the subtrees of Homes.
	Usernames     []string
	Homes         []string
	Offset, Limit int
}

// ListUsers returns a page of users and the total that match.
func ListUsers(db *gorm.DB, f UserFilter) ([]User, int64, error) {
	q := db.Model(&User{})
	if f.Query != "" {
		like := "%" + strings.ToLower(f.Query) + "%"
		q = q.Where("username LIKE ? OR LOWER(full_name) LIKE ?", like, like)
	}
	if f.Usernames != nil {
		clause, args := subtreeClause("home_tenant", f.Homes)
		if len(f.Usernames) == 0 {
			q = q.Where(clause, args...)
		} else {
			q = q.Where("(username IN ? OR "+clause+")", append([]any{f.Usernames}, args...)...)
		}
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	users := []User{}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	err := q.Order("username").Offset(f.Offset).Limit(f.Limit).Find(&users).Error
	return users, total, err
}

// CountUsers returns how many users exist.
func CountUsers(db *gorm.DB) (int64, error) {
	var n int64
	err := db.Model(&User{}).Count(&n).Error
	return n, err
}

// UserPatch is a partial update; nil fields stay as they are.
type UserPatch struct {
	FullName *string `json:"full_name"`
	Password *string `json:"password"`
	Disabled *bool   `json:"disabled"`
}

// Empty reports whether the patch changes nothing.
func (p UserPatch) Empty() bool { return p.FullName == nil && p.Password == nil && p.Disabled == nil }

// UpdateUser applies a patch. Disabling a user or changing its password
// revokes all of its tokens in the same transaction, so a stolen session
// dies with the reset.
func UpdateUser(db *gorm.DB, username string, p UserPatch) (*User, error) {
	if p.Empty() {
		return nil, apierr.Invalid("empty_patch", "give full_name, password or disabled")
	}
	u, err := GetUser(db, username)
	if err != nil {
		return nil, err
	}
	updates := map[string]any{"updated_at": time.Now().UTC()}
	if p.FullName != nil {
		name := strings.TrimSpace(*p.FullName)
		if err := CheckFullName(name); err != nil {
			return nil, err
		}
		updates["full_name"] = name
		u.FullName = name
	}
	revoke := false
	if p.Password != nil {
		if err := CheckPassword(username, *p.Password); err != nil {
			return nil, err
		}
		hash, err := HashPassword(*p.Password)
		if err != nil {
			return nil, fmt.Errorf("hashing password: %w", err)
		}
		updates["password_hash"] = hash
		revoke = true
	}
	if p.Disabled != nil {
		updates["disabled"] = *p.Disabled
		u.Disabled = *p.Disabled
		revoke = revoke || *p.Disabled
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(updates).Error; err != nil {
			return fmt.Errorf("updating user %s: %w", username, err)
		}
		if revoke {
			return RevokeUserTokens(tx, u.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// VerifyPassword checks a username and password. It always spends the time
// of one hash comparison, whether or not the user exists.
func VerifyPassword(db *gorm.DB, username, password string) (*User, bool, error) {
	var u User
	err := db.Where("username = ?", username).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		_, _ = argon2id.ComparePasswordAndHash(password, dummyHash)
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	ok, err := argon2id.ComparePasswordAndHash(password, u.PasswordHash)
	if err != nil {
		return nil, false, fmt.Errorf("checking password of %s: %w", username, err)
	}
	return &u, ok, nil
}

// subtreeClause matches col against the subtrees of roots; "*" matches
// every non-empty home (a user without a home belongs to no subtree).
func subtreeClause(col string, roots []string) (string, []any) {
	if slices.Contains(roots, "*") {
		return "(" + col + " IS NOT NULL AND " + col + " <> '')", nil
	}
	return tenancy.SubtreeClause(col, roots)
}

// ChangePassword sets a user's own password after checking the current
// one, and revokes every session and API token of the account in the same
// transaction: whoever held a copy of a credential loses it with the change.
// A wrong current password answers 401 wrong_password.
func ChangePassword(tx *gorm.DB, username, current, next string) error {
	u, ok, err := VerifyPassword(tx, username, current)
	if err != nil {
		return err
	}
	if u == nil || !ok {
		return apierr.Unauthorized("wrong_password", "the current password is wrong")
	}
	if current == next {
		return apierr.Invalid("same_password", "the new password must differ from the current one")
	}
	_, err = UpdateUser(tx, username, UserPatch{Password: &next})
	return err
}

// Rehome moves the accounts at home in tenant from to tenant to (its
// parent, when from is deleted; "*" or "" for the superadmins) and returns
// how many moved.
func Rehome(tx *gorm.DB, from, to string) (int64, error) {
	if to == "*" {
		to = ""
	}
	res := tx.Model(&User{}).Where("home_tenant = ?", from).Update("home_tenant", to)
	if res.Error != nil {
		return 0, fmt.Errorf("moving the accounts at home in %s: %w", from, res.Error)
	}
	return res.RowsAffected, nil
}
