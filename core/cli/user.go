package cli

import (
	"bufio"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/balaidesa/balai/core/admin"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/rbac"
)

func (a *app) userCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage users: create, list, disable, reset passwords, issue API tokens"}
	cmd.AddCommand(a.userCreateCmd(), a.userListCmd(), a.userSetDisabledCmd("disable", true), a.userSetDisabledCmd("enable", false), a.userPasswdCmd(), a.userTokenCmd())
	return cmd
}

// readPassword takes a password from the first line of stdin, or generates
// one (printed once) when generate is set.
func (a *app) readPassword(fromStdin bool) (password string, generated bool, err error) {
	if fromStdin {
		line, err := bufio.NewReader(a.stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", false, fmt.Errorf("reading the password from standard input: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), false, nil
	}
	p, err := host.RandomPassword(20)
	return p, true, err
}

func (a *app) userCreateCmd() *cobra.Command {
	var fullName, tenant string
	var stdin bool
	cmd := &cobra.Command{
		Use:   "create USERNAME [--full-name NAME] [--tenant CODE] [--password-stdin]",
		Short: "Create a user (grant it roles with 'balai role grant')",
		Long: `Create a user. The password is read from standard input with --password-stdin
(so it never shows in the process list or shell history); otherwise a random
one is generated and printed once.

--tenant sets the user's home: admins of that tenant or above (whose
subtree also holds all of the user's grants) may then reset its password,
disable or rename it. Without --tenant the user belongs to the superadmins.`,
		Example: `  echo 'a-long-secret' | balai user create siti --full-name "Siti Aminah" --tenant 14.01.01 --password-stdin`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			password, generated, err := a.readPassword(stdin)
			if err != nil {
				return err
			}
			return a.withAdmin(func(s *admin.Service) error {
				u, err := s.CreateUser(cmd.Context(), operator(), auth.NewUser{Username: args[0], Password: password, FullName: fullName, Tenant: tenant})
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "created user %s\n", u.Username)
				if generated {
					fmt.Fprintf(a.stdout, "password: %s (shown only once)\n", password)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&fullName, "full-name", "", "the person's full name")
	cmd.Flags().StringVar(&tenant, "tenant", "", "the user's home tenant, whose admins own the account (default: the superadmins)")
	cmd.Flags().BoolVar(&stdin, "password-stdin", false, "read the password from standard input")
	return cmd
}

func (a *app) userListCmd() *cobra.Command {
	var q string
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List users",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withHost(func(h *host.Host) error {
				users, total, err := auth.ListUsers(h.DB.DB, auth.UserFilter{Query: q, Limit: limit})
				if err != nil {
					return err
				}
				return printList(a.stdout, asJSON, users, total, []string{"USERNAME", "FULL NAME", "STATE", "CREATED"}, func(u auth.User) []string {
					state := "active"
					if u.Disabled {
						state = "disabled"
					}
					return []string{u.Username, u.FullName, state, u.CreatedAt.Format(time.RFC3339)}
				})
			})
		},
	}
	cmd.Flags().StringVar(&q, "q", "", "only users whose name contains this text")
	cmd.Flags().IntVar(&limit, "limit", 100, "at most this many")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) userSetDisabledCmd(verb string, disabled bool) *cobra.Command {
	short := "Disable a user: it can no longer log in and its tokens stop working"
	if !disabled {
		short = "Enable a disabled user again"
	}
	return &cobra.Command{
		Use:   verb + " USERNAME",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withAdmin(func(s *admin.Service) error {
				if _, err := s.UpdateUser(cmd.Context(), operator(), args[0], auth.UserPatch{Disabled: &disabled}); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "%sd %s\n", verb, args[0])
				return nil
			})
		},
	}
}

func (a *app) userPasswdCmd() *cobra.Command {
	var stdin bool
	cmd := &cobra.Command{
		Use:   "passwd USERNAME [--password-stdin]",
		Short: "Reset a user's password (ends all of its sessions and API tokens)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			password, generated, err := a.readPassword(stdin)
			if err != nil {
				return err
			}
			return a.withAdmin(func(s *admin.Service) error {
				if err := s.ResetPassword(cmd.Context(), operator(), args[0], password); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "password of %s reset; its sessions and tokens are revoked\n", args[0])
				if generated {
					fmt.Fprintf(a.stdout, "password: %s (shown only once)\n", password)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&stdin, "password-stdin", false, "read the password from standard input")
	return cmd
}

func (a *app) userTokenCmd() *cobra.Command {
	var name, tenant string
	var perms []string
	var days int
	maxDays := int(auth.MaxAPITokenTTL / (24 * time.Hour))
	cmd := &cobra.Command{
		Use:   "token USERNAME --name NAME [--expires-in-days N] [--tenant CODE] [--permission PERM]...",
		Short: "Issue an API token for a machine client acting as USERNAME",
		Long: fmt.Sprintf(`Issue an API token for a machine client acting as USERNAME. The token
expires after --expires-in-days (1 to %d, default %d). --tenant confines it to
that tenant and below; --permission (repeatable) to those permissions. What
the token may do is the user's grants cut down to these limits. An API token
cannot mint tokens or change passwords.`, maxDays, int(auth.DefaultAPITokenTTL/(24*time.Hour))),
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if days < 1 || days > maxDays {
				return fmt.Errorf("--expires-in-days must be from 1 to %d", maxDays)
			}
			return a.withAdmin(func(s *admin.Service) error {
				res, err := s.IssueToken(cmd.Context(), operator(), args[0], admin.TokenRequest{
					Name: name, TTL: time.Duration(days) * 24 * time.Hour, Limit: rbac.Limit{Tenant: tenant, Permissions: perms},
				})
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "%s\n", res.Secret)
				fmt.Fprintf(a.stderr, "API token %d for %s, expires %s; it is shown only once.\n", res.Token.ID, args[0], res.Token.ExpiresAt.Format(time.RFC3339))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "what the token is for")
	cmd.Flags().IntVar(&days, "expires-in-days", int(auth.DefaultAPITokenTTL/(24*time.Hour)), "days until the token expires")
	cmd.Flags().StringVar(&tenant, "tenant", "", "confine the token to this tenant and below")
	cmd.Flags().StringArrayVar(&perms, "permission", nil, "confine the token to this permission (repeatable; x.* for all of x's)")
	return cmd
}
