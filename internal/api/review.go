package api

func (s *server) reviewRoutes() {}
