package cli

import (
	"bufio"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/audit"
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
	var fullName string
	var stdin bool
	cmd := &cobra.Command{
		Use:   "create USERNAME [--full-name NAME] [--password-stdin]",
		Short: "Create a user (grant it roles with 'balai role grant')",
		Long: `Create a user. The password is read from standard input with --password-stdin
(so it never shows in the process list or shell history); otherwise a random
one is generated and printed once.`,
		Example: `  echo 'a-long-secret' | balai user create siti --full-name "Siti Aminah" --password-stdin`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			password, generated, err := a.readPassword(stdin)
			if err != nil {
				return err
			}
			return a.inTx(func(tx *gorm.DB) error {
				u, err := auth.CreateUser(tx, auth.NewUser{Username: args[0], Password: password, FullName: fullName, CreatedBy: cliWho().Actor})
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "created user %s\n", u.Username)
				if generated {
					fmt.Fprintf(a.stdout, "password: %s (shown only once)\n", password)
				}
				return audit.Record(tx, cliWho(), "", "user.create", u.Username, map[string]any{"full_name": u.FullName})
			})
		},
	}
	cmd.Flags().StringVar(&fullName, "full-name", "", "the person's full name")
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
			h, err := a.open()
			if err != nil {
				return err
			}
			defer h.Close()
			users, total, err := auth.ListUsers(h.DB.DB, auth.UserFilter{Query: q, Limit: limit})
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, map[string]any{"items": users, "total": total})
			}
			rows := make([][]string, len(users))
			for i, u := range users {
				state := "active"
				if u.Disabled {
					state = "disabled"
				}
				rows[i] = []string{u.Username, u.FullName, state, u.CreatedAt.Format(time.RFC3339)}
			}
			table(a.stdout, []string{"USERNAME", "FULL NAME", "STATE", "CREATED"}, rows)
			return nil
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
			return a.inTx(func(tx *gorm.DB) error {
				if _, err := auth.UpdateUser(tx, args[0], auth.UserPatch{Disabled: &disabled}); err != nil {
					return err
				}
				if err := rbac.Bump(tx); err != nil { // running servers drop cached tokens
					return err
				}
				fmt.Fprintf(a.stdout, "%sd %s\n", verb, args[0])
				return audit.Record(tx, cliWho(), "", "user.update", args[0], map[string]any{"fields": []string{"disabled"}, "disabled": disabled})
			})
		},
	}
}

func (a *app) userPasswdCmd() *cobra.Command {
	var stdin bool
	cmd := &cobra.Command{
		Use:   "passwd USERNAME [--password-stdin]",
		Short: "Reset a user's password (ends all of its sessions)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			password, generated, err := a.readPassword(stdin)
			if err != nil {
				return err
			}
			return a.inTx(func(tx *gorm.DB) error {
				if _, err := auth.UpdateUser(tx, args[0], auth.UserPatch{Password: &password}); err != nil {
					return err
				}
				if err := rbac.Bump(tx); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "password of %s reset; its sessions and tokens are revoked\n", args[0])
				if generated {
					fmt.Fprintf(a.stdout, "password: %s (shown only once)\n", password)
				}
				return audit.Record(tx, cliWho(), "", "user.update", args[0], map[string]any{"fields": []string{"password"}})
			})
		},
	}
	cmd.Flags().BoolVar(&stdin, "password-stdin", false, "read the password from standard input")
	return cmd
}

func (a *app) userTokenCmd() *cobra.Command {
	var name string
	var days int
	cmd := &cobra.Command{
		Use:   "token USERNAME --name NAME [--expires-in-days N]",
		Short: "Issue an API token for a machine client acting as USERNAME",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if days < 0 {
				return fmt.Errorf("--expires-in-days must be 0 (never) or more")
			}
			return a.inTx(func(tx *gorm.DB) error {
				u, err := auth.GetUser(tx, args[0])
				if err != nil {
					return err
				}
				secret, tok, err := auth.IssueToken(tx, u, auth.KindAPI, name, time.Duration(days)*24*time.Hour)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "%s\n", secret)
				fmt.Fprintf(a.stderr, "API token %d for %s; it is shown only once.\n", tok.ID, u.Username)
				return audit.Record(tx, cliWho(), "", "token.create", u.Username, map[string]any{"token_id": tok.ID, "name": tok.Name})
			})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "what the token is for")
	cmd.Flags().IntVar(&days, "expires-in-days", 0, "days until the token expires (0: never)")
	return cmd
}
