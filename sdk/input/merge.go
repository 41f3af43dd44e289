package input

// MergePatch applies an RFC 7386 JSON merge patch to target, both as
// encoding/json decodes into any: objects merge key by key, a null
// removes the key, anything else (a list included) replaces. target may be
// changed and is returned merged. A PATCH of settings reads this way
// (services' PUT /settings). Settings are not inherited this way: the host
// layers a tenant's own over its ancestors' by top-level key, each value
// whole, so that fields of one object never come from two tenants.
func MergePatch(target, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]any)
	if !ok {
		tm = map[string]any{}
	}
	for k, v := range pm {
		if v == nil {
			delete(tm, k)
		} else {
			tm[k] = MergePatch(tm[k], v)
		}
	}
	return tm
}
