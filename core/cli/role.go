package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/tenancy"
)

func (a *app) roleCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "role",
		Short: "Manage roles and grant them to users in tenants",
		Long: `Built-in roles: superadmin (everything, every tenant), admin (everything in its
tenant and below), operator (reads and writes module data), viewer (reads
module data). Custom roles are named sets of permissions. A grant in a tenant
holds in every tenant below it.`,
	}
	cmd.AddCommand(a.roleListCmd(), a.roleCreateCmd(), a.roleDeleteCmd(), a.roleGrantCmd(), a.roleRevokeCmd())
	return cmd
}

func (a *app) roleListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List roles and their permissions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			h, err := a.open()
			if err != nil {
				return err
			}
			defer h.Close()
			roles, err := h.Authz.Roles(h.DB.DB)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, map[string]any{"items": roles, "total": len(roles)})
			}
			rows := make([][]string, len(roles))
			for i, r := range roles {
				kind := "custom"
				if r.Builtin {
					kind = "built-in"
				}
				rows[i] = []string{r.Name, kind, strings.Join(r.Permissions, ",")}
			}
			table(a.stdout, []string{"ROLE", "KIND", "PERMISSIONS"}, rows)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) roleCreateCmd() *cobra.Command {
	var perms []string
	var desc string
	cmd := &cobra.Command{
		Use:     "create NAME --permission PERM...",
		Short:   "Create a custom role",
		Example: `  balai role create auditor --permission audit.read --permission tenants.read`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.inHostTx(func(h *host.Host, tx *gorm.DB) error {
				role, err := h.Authz.CreateRole(tx, args[0], desc, cliWho().Actor, perms)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "created role %s: %s\n", role.Name, strings.Join(role.Permissions, ", "))
				return audit.Record(tx, cliWho(), "", "role.create", role.Name, map[string]any{"permissions": role.Permissions})
			})
		},
	}
	cmd.Flags().StringArrayVar(&perms, "permission", nil, "a permission of the role (repeatable); x.* names all of x's")
	cmd.Flags().StringVar(&desc, "description", "", "what the role is for")
	return cmd
}

func (a *app) roleDeleteCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a custom role that nobody holds",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.inHostTx(func(h *host.Host, tx *gorm.DB) error {
				if err := h.Authz.DeleteRole(tx, args[0]); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "deleted role %s\n", args[0])
				return audit.Record(tx, cliWho(), "", "role.delete", args[0], nil)
			})
		},
	}
}

func (a *app) roleGrantCmd() *cobra.Command {
	var tenant string
	cmd := &cobra.Command{
		Use:   "grant USERNAME ROLE... --tenant CODE",
		Short: "Give a user roles in a tenant (and so in every tenant below it)",
		Long: `Set the roles USERNAME holds in the tenant to exactly ROLE...; use --tenant '*'
for the whole deployment (the only place superadmin can be granted).`,
		Example: `  balai role grant siti operator --tenant 14.01.01.2009`,
		Args:    cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.setGrant(tenant, args[0], args[1:])
		},
	}
	cmd.Flags().StringVar(&tenant, "tenant", "", "tenant code, or * for the whole deployment")
	return cmd
}

func (a *app) roleRevokeCmd() *cobra.Command {
	var tenant string
	cmd := &cobra.Command{
		Use:   "revoke USERNAME --tenant CODE",
		Short: "Remove all roles a user holds in a tenant",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.setGrant(tenant, args[0], nil)
		},
	}
	cmd.Flags().StringVar(&tenant, "tenant", "", "tenant code, or * for the whole deployment")
	return cmd
}

func (a *app) setGrant(tenant, username string, roles []string) error {
	if tenant == "" {
		return fmt.Errorf("give the tenant with --tenant CODE (or '*' for the whole deployment)")
	}
	h, err := a.open()
	if err != nil {
		return err
	}
	defer h.Close()
	err = h.DB.Transaction(func(tx *gorm.DB) error {
		if tenant != rbac.Global {
			if _, err := tenancy.Get(tx, tenant); err != nil {
				return err
			}
		}
		if _, err := auth.GetUser(tx, username); err != nil {
			return err
		}
		for _, r := range roles {
			if _, err := h.Authz.Role(tx, r); err != nil {
				return err
			}
			if r == rbac.RoleSuperadmin && tenant != rbac.Global {
				return apierr.Invalid("invalid_grant", "superadmin can only be granted with --tenant '*'")
			}
		}
		if err := rbac.SetRoles(tx, tenant, username, roles); err != nil {
			return err
		}
		action, auditTenant := "member.set", tenant
		if roles == nil {
			action = "member.remove"
		}
		if tenant == rbac.Global {
			auditTenant = ""
		}
		return audit.Record(tx, cliWho(), auditTenant, action, username, map[string]any{"tenant": tenant, "roles": roles})
	})
	if err != nil {
		return err
	}
	if roles == nil {
		fmt.Fprintf(a.stdout, "%s holds no roles in %s now\n", username, tenant)
	} else {
		fmt.Fprintf(a.stdout, "%s holds %s in %s\n", username, strings.Join(roles, ", "), tenant)
	}
	return nil
}
