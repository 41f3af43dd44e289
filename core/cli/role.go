package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/balaidesa/balai/core/admin"
	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/rbac"
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
			return a.withHost(func(h *host.Host) error {
				roles, err := h.Authz.Roles(h.DB.DB)
				if err != nil {
					return err
				}
				return printList(a.stdout, asJSON, roles, int64(len(roles)), []string{"ROLE", "KIND", "PERMISSIONS"}, func(r rbac.Role) []string {
					kind := "custom"
					if r.Builtin {
						kind = "built-in"
					}
					return []string{r.Name, kind, strings.Join(r.Permissions, ",")}
				})
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) roleCreateCmd() *cobra.Command {
	var perms []string
	var desc, tenant string
	cmd := &cobra.Command{
		Use:   "create NAME --permission PERM... [--tenant CODE]",
		Short: "Create a custom role",
		Long: `Create a custom role. Without --tenant the role is global: seen and
granted everywhere. With --tenant it belongs to that tenant: seen and
granted only in its subtree, and deleted by admins of that tenant or above.`,
		Example: `  balai role create auditor --permission audit.read --permission tenants.read`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if tenant == "" {
				tenant = rbac.Global
			}
			return a.withAdmin(func(s *admin.Service) error {
				role, err := s.CreateRole(cmd.Context(), operator(), admin.NewRole{Name: args[0], Description: desc, Permissions: perms, Tenant: tenant})
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "created role %s: %s\n", role.Name, strings.Join(role.Permissions, ", "))
				return nil
			})
		},
	}
	cmd.Flags().StringArrayVar(&perms, "permission", nil, "a permission of the role (repeatable); x.* names all of x's")
	cmd.Flags().StringVar(&desc, "description", "", "what the role is for")
	cmd.Flags().StringVar(&tenant, "tenant", "", "the tenant that owns the role (default: a global role)")
	return cmd
}

func (a *app) roleDeleteCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a custom role that nobody holds",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withAdmin(func(s *admin.Service) error {
				if err := s.DeleteRole(cmd.Context(), operator(), args[0]); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "deleted role %s\n", args[0])
				return nil
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
	err := a.withAdmin(func(s *admin.Service) error {
		_, err := s.SetRoles(context.Background(), operator(), tenant, username, roles)
		return err
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
