"""Document intelligence: classifier providers behind one interface (`AIProvider`)."""
