package auth

import "fmt"

// Role is the permission level of a staff token.
type Role string

// Roles, from the least to the most privileged.
const (
	// RoleAssistant may view profiles and record visits, purchases and notes.
	RoleAssistant Role = "assistant"
	// RoleManager may do everything an assistant may, and manage tokens and consent.
	RoleManager Role = "manager"
)

// rank orders the roles, so that a higher rank includes every lower one.
var rank = map[Role]int{RoleAssistant: 1, RoleManager: 2}

// ParseRole converts s to a Role, or returns an error wrapping ErrInvalid.
func ParseRole(s string) (Role, error) {
	if _, ok := rank[Role(s)]; !ok {
		return "", fmt.Errorf("%w: role %q is not %q or %q",
			ErrInvalid, s, RoleAssistant, RoleManager)
	}

	return Role(s), nil
}

// Allows reports whether r is at least minRole. An unknown role allows nothing.
func (r Role) Allows(minRole Role) bool {
	have, ok := rank[r]

	return ok && have >= rank[minRole]
}
