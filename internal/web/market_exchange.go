package web

import "net/http"

func (s *Server) marketExchangeRoutes(mux *http.ServeMux) {}
