package web

import "net/http"

func (s *Server) marketRequestRoutes(mux *http.ServeMux) {}
