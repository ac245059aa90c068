SECTION = "sections"
