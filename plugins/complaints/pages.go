package main

import "github.com/balaidesa/balai/sdk"

var pages = append(append([]sdk.PageRoute{}, consolePages...), publicPages...)
