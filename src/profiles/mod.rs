//! Built-in profiles (recipes) as policy data, plus the coded rules each
//! profile adds beyond data.
