#pragma once

#include "geo/gazetteer.h"
#include "storage/database.h"

namespace passerelle::geo {

// What other domains may ask of the stored communes: a gazetteer of every commune in the
// database (the territory console's commune search, `passerelle territory`).
Gazetteer LoadGazetteer(storage::Database& db);

}  // namespace passerelle::geo
