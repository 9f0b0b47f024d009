#include "geo/service.h"

#include "geo/repository.h"

namespace passerelle::geo {

Gazetteer LoadGazetteer(storage::Database& db) { return Gazetteer(ReadCommunes(db)); }

}  // namespace passerelle::geo
