package api

func (s *server) budgetRoutes() {}
